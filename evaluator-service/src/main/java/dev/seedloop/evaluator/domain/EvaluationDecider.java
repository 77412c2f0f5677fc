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
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.PromotionRequested;
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
     * EvaluationCompleted for the experiment, followed, when it won, by ChampionChanged ({@code AUTO}) or
     * PromotionRequested ({@code MANUAL}: the champion stays until an approver accepts the candidate, see
     * {@link PromotionReview}). Fold the returned events into {@code state} before judging the next
     * experiment of the study.
     *
     * @param heldOut the candidate's held-out metric value, or null when the study has none
     */
    public static List<EventEnvelope> onExperimentCompleted(EventEnvelope cause, ExperimentCompleted completed,
                                                            EvaluatorState state, Objective objective,
                                                            ValidationResult validation, Double heldOut,
                                                            PromotionSettings settings, PromotionPolicy policy,
                                                            Instant now, String evaluatorSha256) {
        Evidence evidence = Evidence.fromRepeats(completed.proposalId(), completed.repeats(), objective.metric(),
                validation, heldOut);
        ChampionRecord champion = state.champion();
        Decision decision = decide(evidence, champion, objective, settings);
        boolean won = decision.verdict() == Verdict.NEW_CHAMPION;
        boolean awaitsApproval = won && policy == PromotionPolicy.MANUAL;

        UUID evaluationId = EventIds.derived(completed.experimentId(), "evaluation");
        EvaluationCompleted evaluation = new EvaluationCompleted(evaluationId, completed.experimentId(),
                completed.proposalId(), decision.verdict(),
                awaitsApproval ? decision.reason() + "; awaits approval (manual promotion)" : decision.reason(),
                decision.summary(), decision.pValue(), validation.passed(), evaluatorSha256, heldOut);
        EventEnvelope evaluationEvent = cause.caused(EventIds.derived(evaluationId, "event"), now, Services.EVALUATOR,
                evaluation);

        List<EventEnvelope> out = new ArrayList<>(2);
        out.add(evaluationEvent);
        if (won) {
            out.add(followUp(evaluationEvent, new ChampionRecord(completed.proposalId(), evaluationId,
                    decision.summary(), heldOut), champion, policy, now));
        }
        return List.copyOf(out);
    }

    /**
     * What a published NEW_CHAMPION evaluation still owes when the event that settles it (ChampionChanged under
     * automatic promotion, PromotionRequested under manual) was never published, e.g. its send failed after the
     * evaluation went out: that event, exactly as {@link #onExperimentCompleted} made it (same id, cause and
     * correlation; only its time differs). Nothing when {@code state} shows the win settled, or it was no win.
     *
     * @param winningEvaluation the EvaluationCompleted event as published
     * @param state             the study's state with that evaluation folded in
     */
    public static List<EventEnvelope> followUpOwed(EventEnvelope winningEvaluation, EvaluatorState state,
                                                   PromotionPolicy policy, Instant now) {
        if (!(winningEvaluation.payload() instanceof EvaluationCompleted evaluation)
                || evaluation.verdict() != Verdict.NEW_CHAMPION || state.lastWin() == null
                || !state.lastWin().evaluationId().equals(evaluation.evaluationId())) {
            return List.of();
        }
        return List.of(followUp(winningEvaluation, state.lastWin(), state.champion(), policy, now));
    }

    /** The event that settles a win: promote it now, or ask an approver. */
    private static EventEnvelope followUp(EventEnvelope evaluationEvent, ChampionRecord winner, ChampionRecord champion,
                                          PromotionPolicy policy, Instant now) {
        if (policy == PromotionPolicy.MANUAL) {
            PromotionRequested request = new PromotionRequested(winner.proposalId(), winner.evaluationId(),
                    winner.summary().mean(), champion == null ? null : champion.proposalId());
            return evaluationEvent.caused(EventIds.derived(winner.evaluationId(), "promotion-requested"), now,
                    Services.EVALUATOR, request);
        }
        return championChanged(evaluationEvent, winner, champion, now);
    }

    /**
     * ChampionChanged making {@code winner} the champion in place of {@code previous}, caused by
     * {@code cause} (the winning evaluation, or the approval of a manual study) and in its chain. Its id
     * derives from the winning evaluation, so however the promotion comes about it is published once.
     */
    static EventEnvelope championChanged(EventEnvelope cause, ChampionRecord winner, ChampionRecord previous,
                                         Instant now) {
        ChampionChanged changed = new ChampionChanged(winner.proposalId(),
                previous == null ? null : previous.proposalId(), winner.evaluationId(), winner.summary().mean());
        return cause.caused(EventIds.derived(winner.evaluationId(), "champion-changed"), now, Services.EVALUATOR,
                changed);
    }
}
