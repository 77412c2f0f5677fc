package dev.seedloop.events;

import java.util.Map;

/**
 * The learner's new instructions to the proposer. {@code revision} increases per study so the
 * proposer can ignore stale updates; {@code operatorWeights} (insertion order kept) are
 * non-negative relative weights of strategy operators.
 */
public record StrategyUpdated(long revision, int proposalsRequested, Map<String, Double> operatorWeights,
                              String reason) implements EventPayload {

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
    }
}
