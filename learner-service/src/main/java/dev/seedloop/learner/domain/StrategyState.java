package dev.seedloop.learner.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

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

    Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Mutable working copy for {@link StrategyFold}. Sampling the weights is by far the dearest part of the
     * fold (a thousand Beta draws per operator per evaluation) and only the latest evaluation's weights are
     * state, so an evaluation records what its weights are a function of and {@link #build()} samples once,
     * for the last one: a replay of many evaluations samples once instead of once each, with the same result.
     */
    static final class Builder {
        final StrategySettings settings;
        /** Replaced, never changed in place: {@link #sampleFrom} may hold the previous one. */
        TreeMap<String, BetaPosterior> posteriors;
        int stagnation;
        int restarts;
        int updates;
        boolean improved;
        boolean restarted;
        Map<String, Double> operatorWeights;
        /** Set by an evaluation whose weights are not sampled yet: its posteriors, seed and event id. */
        private TreeMap<String, BetaPosterior> sampleFrom;
        private long sampleSeed;
        private UUID sampleEvent;

        Builder(StrategyState s) {
            settings = s.settings;
            posteriors = new TreeMap<>(s.posteriors);
            stagnation = s.stagnation;
            restarts = s.restarts;
            updates = s.updates;
            improved = s.improved;
            restarted = s.restarted;
            operatorWeights = s.operatorWeights;
        }

        /** The weights of an evaluation are Thompson draws from {@code arms}, seeded by the study and the event. */
        void sampleLater(TreeMap<String, BetaPosterior> arms, long studySeed, UUID eventId) {
            sampleFrom = arms;
            sampleSeed = studySeed;
            sampleEvent = eventId;
        }

        StrategyState build() {
            if (sampleFrom != null) {
                operatorWeights = ThompsonSampler.forEvent(sampleSeed, sampleEvent).weights(sampleFrom,
                        settings.draws());
                sampleFrom = null;
            }
            return new StrategyState(settings, posteriors, stagnation, restarts, updates, improved, restarted,
                    operatorWeights);
        }
    }
}
