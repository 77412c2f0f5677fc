package dev.seedloop.learner.domain;

import java.util.List;

/**
 * Knobs of the operator bandit.
 *
 * @param prior            posterior every operator starts from, and returns to on restart
 * @param stagnationLimit  evaluations without improvement that trigger a restart, >= 1
 * @param draws            Thompson draws per update; weights are smoothed win frequencies
 * @param defaultOperators operators that always get a weight, before the proposer has used them
 */
public record StrategySettings(BetaPosterior prior, int stagnationLimit, int draws, List<String> defaultOperators) {

    /** The evolutionary proposer's operators, a uniform prior, restart after 10 flat evaluations. */
    public static final StrategySettings DEFAULTS = new StrategySettings(new BetaPosterior(1, 1), 10, 1000,
            List.of("crossover", "mutate", "random"));

    public StrategySettings {
        if (prior == null) {
            throw new IllegalArgumentException("prior is required");
        }
        if (stagnationLimit < 1) {
            throw new IllegalArgumentException("stagnationLimit must be >= 1 but was " + stagnationLimit);
        }
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be >= 1 but was " + draws);
        }
        defaultOperators = List.copyOf(defaultOperators);
    }
}
