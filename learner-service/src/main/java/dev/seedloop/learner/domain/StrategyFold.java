package dev.seedloop.learner.domain;

import java.util.Map;
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
            case ProposalCreated p when !s.posteriors().containsKey(p.operator()) -> {
                TreeMap<String, BetaPosterior> arms = new TreeMap<>(s.posteriors());
                arms.put(p.operator(), s.settings().prior());
                yield new StrategyState(s.settings(), arms, s.stagnation(), s.restarts(), s.updates(), s.improved(),
                        s.restarted(), s.operatorWeights());
            }
            case EvaluationCompleted e -> onEvaluation(s, before, event, e);
            default -> s;
        };
    }

    private static StrategyState onEvaluation(StrategyState s, StudyState before, EventEnvelope event,
                                              EvaluationCompleted e) {
        boolean improved = improves(before, e);
        TreeMap<String, BetaPosterior> arms = new TreeMap<>(s.posteriors());
        Lineage origin = before.lineage().get(e.proposalId());
        if (origin != null) {
            BetaPosterior arm = arms.getOrDefault(origin.operator(), s.settings().prior());
            arms.put(origin.operator(), improved ? arm.success() : arm.failure());
        }
        int stagnation = improved ? 0 : s.stagnation() + 1;
        int restarts = s.restarts();
        boolean restarted = false;
        if (stagnation >= s.settings().stagnationLimit()) {
            // Credit earned around an old optimum misleads once the search is stuck; forget it.
            arms.replaceAll((op, p) -> s.settings().prior());
            stagnation = 0;
            restarts++;
            restarted = true;
        }
        Map<String, Double> weights = ThompsonSampler.forEvent(before.seed(), event.eventId())
                .weights(arms, s.settings().draws());
        return new StrategyState(s.settings(), arms, stagnation, restarts, s.updates() + 1, improved, restarted, weights);
    }

    private static boolean improves(StudyState before, EvaluationCompleted e) {
        if (e.verdict() == Verdict.NEW_CHAMPION) {
            return true;
        }
        if (e.verdict() == Verdict.INVALID || e.summary() == null || before.objective() == null) {
            return false;
        }
        return before.bestValue() == null
                || before.objective().direction().isBetter(e.summary().mean(), before.bestValue());
    }
}
