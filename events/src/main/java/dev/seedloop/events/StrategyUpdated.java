package dev.seedloop.events;

import java.util.List;
import java.util.Map;

/**
 * The learner's new instructions to the proposer. {@code revision} increases per study so the
 * proposer can ignore stale updates; {@code operatorWeights} (insertion order kept) are
 * non-negative relative weights of strategy operators. The proposals it asks for take ordinals
 * {@code nextOrdinal} onwards, and {@code observations} are the evaluated points the learner chose to
 * show the strategy: the decision's inputs travel with it, so the proposer needs no state of its own
 * and a proposal can be explained (and re-derived) from the events alone.
 *
 * <p>v2 added {@code notes}: what the learner concluded so far about what worked and what did not, rebuilt every few
 * evaluations, for strategies that show it to a language model (null when there is nothing to say, and before v2);
 * and the code-lineage fields of {@link Observation}.
 */
public record StrategyUpdated(long revision, int proposalsRequested, Map<String, Double> operatorWeights,
                              String reason, int nextOrdinal, List<Observation> observations, @Nullable String notes)
        implements EventPayload {

    /** A request without notes. */
    public StrategyUpdated(long revision, int proposalsRequested, Map<String, Double> operatorWeights, String reason,
                           int nextOrdinal, List<Observation> observations) {
        this(revision, proposalsRequested, operatorWeights, reason, nextOrdinal, observations, null);
    }

    /** An update that carries no history (the proposer then proposes from the search space alone). */
    public StrategyUpdated(long revision, int proposalsRequested, Map<String, Double> operatorWeights, String reason) {
        this(revision, proposalsRequested, operatorWeights, reason, 0, List.of());
    }

    public StrategyUpdated {
        Checks.atLeast(revision, 0L, "revision");
        Checks.atLeast(proposalsRequested, 0, "proposalsRequested");
        operatorWeights = Checks.finiteDoubles(operatorWeights, "operatorWeights");
        operatorWeights.forEach((k, v) -> {
            if (v < 0) {
                throw new IllegalArgumentException("operatorWeights['" + k + "'] must be >= 0 but was " + v);
            }
        });
        Checks.notNull(reason, "reason");
        Checks.atLeast(nextOrdinal, 0, "nextOrdinal");
        observations = Checks.list(observations, "observations");
    }
}
