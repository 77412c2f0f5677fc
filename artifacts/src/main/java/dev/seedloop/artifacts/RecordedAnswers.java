package dev.seedloop.artifacts;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The record of language-model answers a team's studies got, by a key the caller derives from everything that fixes
 * the answer (the proposer's model client hashes team, model, prompt, sample, answer limit and temperature), so a
 * replay or a fork asks the record instead of the model (ADR 0023).
 *
 * <p>Records are per team: {@link #find} looks only at {@code team}'s records, so a team never gets another team's
 * answer even for the same key. A record, once written, never changes: {@link #record} of a key already recorded
 * keeps the first answer and returns it, which makes concurrent recorders agree. Implementations are thread-safe.
 * {@link PostgresRecordedAnswers} is the default (table {@code artifacts.recorded_answer}, migrated with the store's
 * schema by {@link ArtifactSchema}); {@link InMemoryRecordedAnswers} is for tests.
 */
public interface RecordedAnswers {

    /** A key's form: {@code sha256:} and 64 lower-case hex digits. */
    Pattern KEY = Pattern.compile("sha256:[0-9a-f]{64}");

    /** The answer {@code team} recorded under {@code key}, if any. */
    Optional<RecordedAnswer> find(String team, String key);

    /**
     * Records {@code answer} under {@code team} and {@code key} unless a record is there already.
     *
     * @return the record now stored: {@code answer}, or the earlier one that won
     * @throws IllegalArgumentException when the team is blank or the key is not of the form {@link #KEY}
     * @throws ArtifactStoreException when the store fails (also when the answer's blobs are not stored)
     */
    RecordedAnswer record(String team, String key, RecordedAnswer answer);

    /** The checks every implementation makes before recording. */
    static void checkKey(String team, String key) {
        if (team == null || team.isBlank()) {
            throw new IllegalArgumentException("a recorded answer belongs to a team");
        }
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a recorded answer's key is sha256:<64 hex digits>, not " + key);
        }
    }
}
