package dev.seedloop.evaluator.domain;

import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.Verdict;

/**
 * What the evaluator remembers about one study: its champion, or null before the first valid
 * result. Rebuilt by folding the evaluator's own events, so it needs no database.
 */
public record EvaluatorState(ChampionRecord champion) {

    public static final EvaluatorState EMPTY = new EvaluatorState(null);

    /**
     * Applies one event. Only NEW_CHAMPION evaluations and ChampionChanged events matter; every
     * other event, and redelivery of one already applied, leaves the state as it was.
     */
    public static EvaluatorState evolve(EvaluatorState state, EventEnvelope event) {
        return switch (event.payload()) {
            case EvaluationCompleted e when e.verdict() == Verdict.NEW_CHAMPION && e.summary() != null ->
                    new EvaluatorState(new ChampionRecord(e.proposalId(), e.evaluationId(), e.summary(),
                            e.heldOutValue()));
            case ChampionChanged c -> onChampionChanged(state, c);
            default -> state;
        };
    }

    /**
     * Normally confirms the champion its evaluation already installed. If that evaluation was
     * never seen, only the winning mean is known, so the champion is recorded as a single sample:
     * later candidates then face the noise floor only, never a test against an invented spread.
     */
    private static EvaluatorState onChampionChanged(EvaluatorState state, ChampionChanged c) {
        ChampionRecord current = state.champion();
        if (current != null && current.evaluationId().equals(c.evaluationId())) {
            return state;
        }
        UUID evaluationId = c.evaluationId();
        MetricSummary summary = new MetricSummary(current == null ? "objective" : current.summary().metric(), 1,
                c.value(), 0.0, c.value(), c.value());
        return new EvaluatorState(new ChampionRecord(c.proposalId(), evaluationId, summary, null));
    }
}
