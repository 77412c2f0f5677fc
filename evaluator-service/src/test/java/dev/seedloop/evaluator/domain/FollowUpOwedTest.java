package dev.seedloop.evaluator.domain;

import static dev.seedloop.evaluator.domain.ExperimentOutcomes.completed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.Objective;
import dev.seedloop.events.PromotionPolicy;

/** Given a published win whose settling event was lost, the event it owes is the one judging made, once. */
class FollowUpOwedTest {

    private static final Objective OBJECTIVE = new Objective("val_loss", Direction.MINIMIZE, null);
    private static final Instant JUDGED = Instant.parse("2026-11-23T13:10:00Z");
    private static final Instant LATER = Instant.parse("2026-11-23T14:00:00Z");
    private static final UUID FIRST = UUID.fromString("00000000-0000-7000-8000-00000000000a");
    private static final UUID SECOND = UUID.fromString("00000000-0000-7000-8000-00000000000b");

    @ParameterizedTest
    @EnumSource(PromotionPolicy.class)
    void aWinWhoseSettlingEventWasLostOwesExactlyThatEventAndNothingOnceItIsFolded(PromotionPolicy policy) {
        EvaluatorState state = fold(EvaluatorState.EMPTY, judge(EvaluatorState.EMPTY, policy, FIRST, 0.5, 0.51, 0.49));
        List<EventEnvelope> second = judge(state, policy, SECOND, 0.3, 0.31, 0.29);
        EventEnvelope evaluation = second.get(0);
        EventEnvelope lost = second.get(1);
        EvaluatorState withoutIt = EvaluatorState.evolve(state, evaluation);

        List<EventEnvelope> owed = EvaluationDecider.followUpOwed(evaluation, withoutIt, policy, LATER);

        assertThat(owed).singleElement().satisfies(event -> {
            assertThat(event.eventId()).isEqualTo(lost.eventId());
            assertThat(event.payload()).isEqualTo(lost.payload());
            assertThat(event.causationId()).isEqualTo(lost.causationId());
            assertThat(event.correlationId()).isEqualTo(lost.correlationId());
            assertThat(event.occurredAt()).isEqualTo(LATER);
        });
        assertThat(EvaluationDecider.followUpOwed(evaluation, EvaluatorState.evolve(withoutIt, lost), policy, LATER))
                .as("settled").isEmpty();
    }

    @org.junit.jupiter.api.Test
    void anEvaluationThatDidNotWinOwesNothing() {
        PromotionPolicy policy = PromotionPolicy.AUTO; // under manual promotion the first is no champion yet
        EvaluatorState state = fold(EvaluatorState.EMPTY, judge(EvaluatorState.EMPTY, policy, FIRST, 0.3, 0.31, 0.29));
        List<EventEnvelope> worse = judge(state, policy, SECOND, 0.7, 0.71, 0.69);

        assertThat(worse).hasSize(1);
        assertThat(EvaluationDecider.followUpOwed(worse.get(0), EvaluatorState.evolve(state, worse.get(0)), policy,
                LATER)).isEmpty();
    }

    private static List<EventEnvelope> judge(EvaluatorState state, PromotionPolicy policy, UUID proposal,
            double... losses) {
        EventEnvelope outcome = completed(EventIds.derived(proposal, "experiment"), proposal, losses);
        return EvaluationDecider.onExperimentCompleted(outcome, (ExperimentCompleted) outcome.payload(), state,
                OBJECTIVE, ValidationResult.PASSED, null, PromotionSettings.DEFAULTS, policy, JUDGED,
                "sha256:" + "cd".repeat(32));
    }

    private static EvaluatorState fold(EvaluatorState state, List<EventEnvelope> events) {
        for (EventEnvelope event : events) {
            state = EvaluatorState.evolve(state, event);
        }
        return state;
    }
}
