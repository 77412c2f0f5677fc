package dev.seedloop.evaluator.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Services;
import dev.seedloop.events.Verdict;

/**
 * Turns a finished experiment into the evaluator's events. Pure: every id derives from the
 * experiment id, so a redelivered ExperimentCompleted produces byte-identical events that
 * downstream deduplication drops.
 */
public final class EvaluationDecider {

    private EvaluationDecider() {
    }

    /** Judges {@code candidate} against {@code championOrNull} with the {@link PromotionRule}. */
    public static Decision decide(Evidence candidate, ChampionRecord championOrNull, Objective objective,
                                  PromotionSettings settings) {
        return PromotionRule.judge(candidate, championOrNull, objective, settings);
    }

    /**
     * EvaluationCompleted for the experiment, followed by ChampionChanged when it won. Fold the
     * returned events into {@code state} before judging the next experiment of the study.
     *
     * @param heldOut the candidate's held-out metric value, or null when the study has none
     */
    public static List<EventEnvelope> onExperimentCompleted(EventEnvelope cause, ExperimentCompleted completed,
                                                            EvaluatorState state, Objective objective,
                                                            ValidationResult validation, Double heldOut,
                                                            PromotionSettings settings, Instant now,
                                                            String evaluatorSha256) {
        Evidence evidence = Evidence.fromRepeats(completed.proposalId(), completed.repeats(), objective.metric(),
                validation, heldOut);
        ChampionRecord champion = state.champion();
        Decision decision = decide(evidence, champion, objective, settings);

        UUID evaluationId = EventIds.derived(completed.experimentId(), "evaluation");
        EvaluationCompleted evaluation = new EvaluationCompleted(evaluationId, completed.experimentId(),
                completed.proposalId(), decision.verdict(), decision.reason(), decision.summary(), decision.pValue(),
                validation.passed(), evaluatorSha256, heldOut);
        EventEnvelope evaluationEvent = new EventEnvelope(EventIds.derived(evaluationId, "event"), cause.studyId(),
                cause.team(), now, cause.eventId(), cause.correlationId(), Services.EVALUATOR, evaluation);

        List<EventEnvelope> out = new ArrayList<>(2);
        out.add(evaluationEvent);
        if (decision.verdict() == Verdict.NEW_CHAMPION) {
            ChampionChanged changed = new ChampionChanged(completed.proposalId(),
                    champion == null ? null : champion.proposalId(), evaluationId, decision.summary().mean());
            out.add(new EventEnvelope(EventIds.derived(evaluationId, "champion-changed"), cause.studyId(), cause.team(),
                    now, evaluationEvent.eventId(), cause.correlationId(), Services.EVALUATOR, changed));
        }
        return List.copyOf(out);
    }
}
