package dev.seedloop.proposer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;

/**
 * Strategy code against recorded studies: {@code recorded/bin-packing-default.jsonl} is the event log of a
 * whole demo study run by the real stack (32 proposals by the default strategy, from the learner's 31
 * requests). Today's code must make exactly the recorded proposals from the recorded requests; a change
 * that moves any of them is a behaviour change to review (and re-record on purpose).
 */
class RecordedStudiesReplayTest {

    private static List<EventEnvelope> recorded(String name) throws IOException {
        try (InputStream in = RecordedStudiesReplayTest.class.getResourceAsStream("/recorded/" + name)) {
            EventCodec codec = new EventCodec();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank())
                    .map(codec::decode).toList();
        }
    }

    /** The recording predates ADR 0030: its TPE is today's with these options. */
    static final Map<String, String> TPE_BEFORE_ADR_0030 = TpeSearch.BEFORE_ADR_0030;

    @Test
    void theStrategyCodeReproducesEveryRecordedProposal() throws IOException {
        CounterfactualReplay.Report report = CounterfactualReplay.replay(recorded("bin-packing-default.jsonl"),
                null, TPE_BEFORE_ADR_0030);
        assertThat(report.decisions()).hasSize(32);
        assertThat(report.decisions()).allSatisfy(decision -> assertThat(decision.matches())
                .as("proposal #%d: recorded %s, replayed %s", decision.ordinal(), decision.recordedParameters(),
                        decision.replayedParameters())
                .isTrue());
        assertThat(report.firstDivergence()).isNull();
        assertThat(report.next()).hasSize(2).allSatisfy(c -> assertThat(c.ordinal()).isGreaterThanOrEqualTo(32));
    }

    @Test
    void theNearDuplicateCheckAloneReplacesTheDemosSecondRunOfPenalty37() throws IOException {
        Map<String, String> withCheck = new java.util.HashMap<>(TPE_BEFORE_ADR_0030);
        withCheck.remove("duplicateTolerance");
        CounterfactualReplay.Report report = CounterfactualReplay.replay(recorded("bin-packing-default.jsonl"),
                null, withCheck);

        // Recorded: #12 ran gap_penalty 37.027, threshold 25, step; #28 ran 37.075, 25, step, with the same result.
        assertThat(report.firstDivergence()).isEqualTo(28);
        CounterfactualReplay.Decision twentyEighth = report.decisions().get(28);
        Map<String, Object> replayed = twentyEighth.replayedParameters();
        Map<String, Object> twelfth = report.decisions().get(12).recordedParameters();
        assertThat(((Number) twentyEighth.recordedParameters().get("gap_threshold")).longValue())
                .isEqualTo(((Number) twelfth.get("gap_threshold")).longValue()).isEqualTo(25);
        assertThat(((Number) replayed.get("gap_threshold")).longValue()
                        == ((Number) twelfth.get("gap_threshold")).longValue()
                && replayed.get("penalty_shape").equals(twelfth.get("penalty_shape"))
                && Math.abs((Double) replayed.get("gap_penalty") - (Double) twelfth.get("gap_penalty")) <= 0.1)
                .as("replayed #28 %s against #12 %s", replayed, twelfth).isFalse();
    }

    @Test
    void anotherStrategyDivergesAndSaysWhatItWouldProposeNext() throws IOException {
        List<EventEnvelope> events = recorded("bin-packing-default.jsonl");
        CounterfactualReplay.Report random = CounterfactualReplay.replay(events, "random", null);
        assertThat(random.replayedStrategy()).isEqualTo("random");
        assertThat(random.firstDivergence()).isNotNull();
        assertThat(random.matching()).isLessThan(random.decisions().size());
        assertThat(random.next()).hasSize(2);

        // Options count as a different configuration too, and replaying is deterministic.
        CounterfactualReplay.Report evolutionary = CounterfactualReplay.replay(events, "evolutionary",
                Map.of("population", "4"));
        assertThat(evolutionary.replayedOptions()).containsEntry("population", "4");
        assertThat(CounterfactualReplay.replay(events, "evolutionary", Map.of("population", "4")))
                .isEqualTo(evolutionary);
    }
}
