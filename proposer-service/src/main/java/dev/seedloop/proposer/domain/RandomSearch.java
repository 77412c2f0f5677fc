package dev.seedloop.proposer.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import dev.seedloop.events.Parameter;
import dev.seedloop.events.SearchSpace;

/**
 * Uniform random search, the baseline every other strategy must beat. Point {@code ordinal} of a
 * study depends only on (seed, ordinal), so any point can be regenerated alone, in any order.
 * As a {@link Strategy} it ignores the history entirely.
 */
public final class RandomSearch implements Strategy {

    public static final String NAME = "random";
    public static final String OPERATOR = "random";
    public static final RandomSearch INSTANCE = new RandomSearch();

    private RandomSearch() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Candidate> propose(StrategyInput input, int count) {
        List<Candidate> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int ordinal = input.nextOrdinal() + i;
            out.add(new Candidate(ordinal, sample(input.space(), input.seed(), ordinal), OPERATOR, List.of()));
        }
        return out;
    }

    public static Map<String, Object> sample(SearchSpace space, long seed, int ordinal) {
        SplittableRandom random = new SplittableRandom(mix(seed, ordinal));
        Map<String, Object> point = new LinkedHashMap<>();
        for (Parameter parameter : space.parameters()) {
            point.put(parameter.name(), draw(parameter, random));
        }
        return point;
    }

    private static Object draw(Parameter p, SplittableRandom random) {
        return switch (p.kind()) {
            case CATEGORICAL -> p.choices().get(random.nextInt(p.choices().size()));
            case INT -> (long) Math.floor(scaled(p, random, p.low(), p.high() + 1));
            case FLOAT -> scaled(p, random, p.low(), p.high());
        };
    }

    /** Uniform in [low, high), or log-uniform when the parameter asks for a log scale. */
    private static double scaled(Parameter p, SplittableRandom random, double low, double high) {
        double u = random.nextDouble();
        if (p.logScale()) {
            double value = Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low)));
            return Math.min(Math.max(value, low), Math.nextDown(high));
        }
        return low + u * (high - low);
    }

    /** SplitMix64 finalizer over the pair, so neighbouring ordinals give unrelated streams. */
    static long mix(long seed, int ordinal) {
        long z = seed + 0x9E3779B97F4A7C15L * (ordinal + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
