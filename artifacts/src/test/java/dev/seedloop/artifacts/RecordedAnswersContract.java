package dev.seedloop.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

/** What every {@link RecordedAnswers} does; each implementation's test extends this. */
abstract class RecordedAnswersContract {

    abstract RecordedAnswers answers();

    /** The store the records' blobs live in (the PostgreSQL records refer to stored blobs). */
    abstract ArtifactStore store();

    /** A key no other test run has used, so "was not recorded before" holds on a shared database. */
    static String freshKey() {
        return Digests.of(UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    RecordedAnswer answer(String text, long tokensIn, long tokensOut) {
        String prompt = store().putText("prompt for " + text).hash();
        String answer = store().putText(text).hash();
        return new RecordedAnswer("small", "vendor-small-1", prompt, answer, tokensIn, tokensOut);
    }

    @Test
    void anAnswerIsFoundUnderItsTeamAndKeyOnceRecorded() {
        String key = freshKey();
        RecordedAnswer answer = answer("return 42", 120, 7);
        assertThat(answers().find("team-a", key)).isEmpty();

        assertThat(answers().record("team-a", key, answer)).isEqualTo(answer);

        assertThat(answers().find("team-a", key)).contains(answer);
    }

    @Test
    void anotherTeamNeverFindsTheRecordEvenUnderTheSameKey() {
        String key = freshKey();
        RecordedAnswer teamA = answer("team a's answer", 10, 3);
        answers().record("team-a", key, teamA);

        assertThat(answers().find("team-b", key)).isEmpty();

        RecordedAnswer teamB = answer("team b's answer", 11, 4);
        assertThat(answers().record("team-b", key, teamB)).isEqualTo(teamB);
        assertThat(answers().find("team-a", key)).contains(teamA);
        assertThat(answers().find("team-b", key)).contains(teamB);
    }

    @Test
    void theFirstRecordOfAKeyWinsAndIsWhatALaterRecorderGetsBack() {
        String key = freshKey();
        RecordedAnswer first = answer("first", 1, 1);
        RecordedAnswer second = answer("second", 2, 2);

        answers().record("team-a", key, first);

        assertThat(answers().record("team-a", key, second)).isEqualTo(first);
        assertThat(answers().find("team-a", key)).contains(first);
    }

    @Test
    void aMalformedKeyOrABlankTeamIsRefused() {
        RecordedAnswer answer = answer("x", 1, 1);
        assertThatThrownBy(() -> answers().record("team-a", "not-a-hash", answer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sha256:");
        assertThatThrownBy(() -> answers().record(" ", freshKey(), answer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("team");
    }
}
