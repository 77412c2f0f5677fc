package dev.seedloop.learner.domain;

import java.util.TreeMap;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Verdict;

/**
 * The operator-credit projection. It reads the study as it was <em>before</em> the event: that
 * is where the proposal's operator, the pre-existing best value and the seen event ids live.
 */
public final class StrategyFold {

    private StrategyFold() {
    }

    /**
     * Applies one event. ProposalCreated adds its operator as an arm; EvaluationCompleted credits
     * the proposal's operator (success when NEW_CHAMPION or better than the best before it,
     * failure otherwise), advances or resets the stagnation counter, restarts all arms at the
     * prior after {@code stagnationLimit} flat evaluations, and resamples the weights with a
     * generator seeded by the study seed and the event id. Other events and redeliveries change nothing.
     */
    public static StrategyState evolve(StrategyState s, StudyState before, EventEnvelope event) {
        if (before.hasSeen(event.eventId())) {
            return s;
        }
        return switch (event.payload()) {
            case ProposalCreated p when !s.posteriors().containsKey(p.operator()) -> applied(s, before, event);
            case EvaluationCompleted e -> applied(s, before, event);
            default -> s;
        };
    }

    private static StrategyState applied(StrategyState s, StudyState before, EventEnvelope event) {
        StrategyState.Builder b = s.toBuilder();
        apply(b, before, event);
        return b.build();
    }

    /**
     * Folds one event the study has not seen into a working state; {@code before} is the study before it.
     * Weights are sampled when the builder is built (see {@link StrategyState.Builder}).
     */
    static void apply(StrategyState.Builder b, StudyBefore before, EventEnvelope event) {
        switch (event.payload()) {
            case ProposalCreated p when !b.posteriors.containsKey(p.operator()) -> {
                TreeMap<String, BetaPosterior> arms = new TreeMap<>(b.posteriors);
                arms.put(p.operator(), b.settings.prior());
                b.posteriors = arms;
            }
            case EvaluationCompleted e -> onEvaluation(b, before, event, e);
            default -> {
            }
        }
    }

    private static void onEvaluation(StrategyState.Builder b, StudyBefore before, EventEnvelope event,
                                     EvaluationCompleted e) {
        boolean improved = improves(before, e);
        TreeMap<String, BetaPosterior> arms = new TreeMap<>(b.posteriors);
        Lineage origin = before.lineageOf(e.proposalId());
        if (origin != null) {
            BetaPosterior arm = arms.getOrDefault(origin.operator(), b.settings.prior());
            arms.put(origin.operator(), improved ? arm.success() : arm.failure());
        }
        int stagnation = improved ? 0 : b.stagnation + 1;
        boolean restarted = false;
        if (stagnation >= b.settings.stagnationLimit()) {
            // Credit earned around an old optimum misleads once the search is stuck; forget it.
            arms.replaceAll((op, p) -> b.settings.prior());
            stagnation = 0;
            b.restarts++;
            restarted = true;
        }
        b.posteriors = arms;
        b.stagnation = stagnation;
        b.updates++;
        b.improved = improved;
        b.restarted = restarted;
        b.sampleLater(arms, before.seed(), event.eventId());
    }

    private static boolean improves(StudyBefore before, EvaluationCompleted e) {
        if (e.verdict() == Verdict.NEW_CHAMPION) {
            return true;
        }
        if (e.verdict().disqualifies() || e.summary() == null || before.objective() == null) {
            return false;
        }
        return before.bestValue() == null
                || before.objective().direction().isBetter(e.summary().mean(), before.bestValue());
    }
}
