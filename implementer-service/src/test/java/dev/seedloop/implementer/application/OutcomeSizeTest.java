package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;

class OutcomeSizeTest {

    private static final EventCodec CODEC = new EventCodec();
    private static final UUID EXPERIMENT = UUID.randomUUID();
    private static final UUID PROPOSAL = UUID.randomUUID();

    @Test
    void anOutcomeWithinTheLimitIsPublishedAsItIs() {
        EventEnvelope outcome = envelope(completed(3));

        assertThat(OutcomeSize.fit(CODEC, outcome, 10_000)).isSameAs(outcome);
    }

    @Test
    void anOutcomeOverTheLimitBecomesAFailureThatFitsUnderTheSameId() {
        EventEnvelope outcome = envelope(completed(200));
        int limit = CODEC.encode(outcome).length - 1;

        EventEnvelope fitted = OutcomeSize.fit(CODEC, outcome, limit);

        assertThat(CODEC.encode(fitted).length).isLessThanOrEqualTo(limit);
        assertThat(fitted.eventId()).isEqualTo(outcome.eventId());
        assertThat(fitted.payload()).isInstanceOfSatisfying(ExperimentFailed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.BAD_METRICS);
            assertThat(failed.proposalId()).isEqualTo(PROPOSAL);
            assertThat(failed.detail()).contains("over the " + limit + "-byte event limit").contains("200 repeats of 3 metrics");
            assertThat(failed.logTail()).isEqualTo("the log");
        });
    }

    @Test
    void aFailureOverTheLimitKeepsItsReasonWithAShorterDetail() {
        EventEnvelope outcome = envelope(new ExperimentFailed(EXPERIMENT, PROPOSAL, FailureReason.CRASHED,
                "x".repeat(50_000), ResourceUsage.NONE, ""));

        EventEnvelope fitted = OutcomeSize.fit(CODEC, outcome, 10_000);

        assertThat(CODEC.encode(fitted).length).isLessThanOrEqualTo(10_000);
        assertThat(((ExperimentFailed) fitted.payload()).reason()).isEqualTo(FailureReason.CRASHED);
    }

    private static ExperimentCompleted completed(int repeats) {
        List<RepeatResult> results = java.util.stream.IntStream.range(0, repeats)
                .mapToObj(i -> new RepeatResult(i, Map.of("loss", 1.0, "runtime", 2.0, "valid", 1.0), 10, 0)).toList();
        return new ExperimentCompleted(EXPERIMENT, PROPOSAL, results, new ResourceUsage(1, 1, 1), "the log");
    }

    private static EventEnvelope envelope(EventPayload payload) {
        return new EventEnvelope(UUID.randomUUID(), UUID.randomUUID().toString(), "team-a", Instant.EPOCH,
                UUID.randomUUID(), UUID.randomUUID(), "implementer-service", payload);
    }
}
