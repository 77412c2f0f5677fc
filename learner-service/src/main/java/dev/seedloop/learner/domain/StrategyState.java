package dev.seedloop.learner.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The learner's operator bandit for one study, folded by {@link StrategyFold}.
 *
 * <p>{@code posteriors} is sorted by operator name so sampling order, and therefore the weights,
 * never depend on the order operators were first seen. {@code operatorWeights} are the weights
 * from the latest evaluation; {@code improved} and {@code restarted} describe that evaluation.
 * {@code stagnation} counts evaluations since the last improvement.
 */
public record StrategyState(StrategySettings settings, Map<String, BetaPosterior> posteriors, int stagnation,
                            int restarts, int updates, boolean improved, boolean restarted,
                            Map<String, Double> operatorWeights) {

    public StrategyState {
        posteriors = Collections.unmodifiableMap(new TreeMap<>(posteriors));
        operatorWeights = Collections.unmodifiableMap(new LinkedHashMap<>(operatorWeights));
    }

    /** Every default operator at the prior, weighted uniformly. */
    public static StrategyState initial(StrategySettings settings) {
        TreeMap<String, BetaPosterior> arms = new TreeMap<>();
        for (String op : settings.defaultOperators()) {
            arms.put(op, settings.prior());
        }
        return new StrategyState(settings, arms, 0, 0, 0, false, false, uniform(arms));
    }

    static Map<String, Double> uniform(Map<String, BetaPosterior> arms) {
        LinkedHashMap<String, Double> weights = new LinkedHashMap<>();
        arms.keySet().forEach(op -> weights.put(op, 1.0 / arms.size()));
        return weights;
    }
}
