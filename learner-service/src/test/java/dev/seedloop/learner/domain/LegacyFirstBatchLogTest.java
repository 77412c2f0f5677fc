package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.learner.projection.application.StateJson;

/**
 * Logs from before ADR 0021, where the proposer made the first batch on StudyCreated by its own rule and no
 * StrategyUpdated asked for it, replay to the state they always did. {@code legacy-first-batch/*.jsonl} are two such
 * logs (StudySimulation under the old code: a plain study, and a manually promoted fork), recorded with the StateJson
 * SHA-256 of every prefix and the final StateJson as the old code folded them. Today's fold must give the same bytes
 * at every prefix, leaving out only the field the change added ({@code resolvedOrdinals}), except between the
 * StudyCreated and the first proposal it caused, where the old fold already counted the first batch as requested and
 * today's does not know yet that the proposer made it: there it differs in {@code proposalsRequested} alone.
 */
class LegacyFirstBatchLogTest {

    private static final EventCodec CODEC = new EventCodec();

    @ParameterizedTest
    @ValueSource(strings = {"auto", "manual-fork"})
    void anOldLogReplaysToTheStateItAlwaysHad(String log) throws IOException {
        List<EventEnvelope> events = resource(log + ".jsonl").lines().map(CODEC::decode).toList();
        List<String> recorded = resource(log + ".state-sha256.txt").lines().toList();
        assertThat(recorded).hasSameSizeAs(events);
        EventEnvelope created = events.stream().filter(e -> e.payload() instanceof StudyCreated).findFirst()
                .orElseThrow();
        assertThat(events).as("an old log: its first proposals were caused by its StudyCreated")
                .anyMatch(e -> created.eventId().equals(e.causationId()) && e.payload() instanceof ProposalCreated);

        StudyState study = StudyState.EMPTY;
        StrategyState strategy = StrategyState.initial(StrategySettings.DEFAULTS);
        LearnerFold replay = Deciders.DEFAULT.fold();
        boolean firstBatchSeen = false;
        int window = 0;
        for (int i = 0; i < events.size(); i++) {
            EventEnvelope e = events.get(i);
            StudyState before = study;
            study = StudyFold.evolve(before, e);
            strategy = StrategyFold.evolve(strategy, before, e);
            replay.apply(e);
            firstBatchSeen |= created.eventId().equals(e.causationId())
                    && (e.payload() instanceof ProposalCreated || e.payload() instanceof ProposalRejected);
            String json = withoutNewFields(StateJson.write(study, strategy));
            if (study.createdEventId() != null && !firstBatchSeen) {
                window++;
                String asTheOldFoldCounted = json.replace("\"proposalsRequested\":0,", "\"proposalsRequested\":"
                        + Math.min(study.budget().parallelism(), study.budget().maxExperiments()) + ",");
                assertThat(sha256(asTheOldFoldCounted)).as("event %d, before the first batch arrived", i)
                        .isEqualTo(recorded.get(i));
            } else {
                assertThat(sha256(json)).as("the state after event %d of %s", i, log).isEqualTo(recorded.get(i));
            }
        }
        assertThat(window).as("events between the creation and its first proposal").isLessThan(events.size() / 4);
        String head = withoutNewFields(StateJson.write(study, strategy));
        assertThat(head).isEqualTo(resource(log + ".state.json"));
        assertThat(withoutNewFields(StateJson.write(replay.study(), replay.strategy()))).isEqualTo(head);
    }

    /** The state's JSON less what ADR 0021 added to it (written last in the study). */
    static String withoutNewFields(String json) {
        String stripped = json.replaceFirst(",\"resolvedOrdinals\":\\{\"below\":\\d+,\"beyond\":\\[[\\d,]*],\"unplaced\":\\{}}", "");
        assertThat(stripped).as("the new field is there to leave out").isNotEqualTo(json);
        return stripped;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = LegacyFirstBatchLogTest.class.getResourceAsStream("/legacy-first-batch/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
