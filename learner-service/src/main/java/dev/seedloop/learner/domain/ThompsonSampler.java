package dev.seedloop.learner.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Turns Beta posteriors into operator weights by Thompson sampling. The generator is a
 * hand-written SplitMix64 and all transcendental functions use {@link StrictMath}, so the same
 * seed gives the same weights on every JDK and platform — replays depend on it.
 */
final class ThompsonSampler {

    private long state;

    private ThompsonSampler(long seed) {
        this.state = seed;
    }

    /** A generator specific to one study and one triggering event. */
    static ThompsonSampler forEvent(long studySeed, UUID eventId) {
        long s = mix(studySeed ^ 0x5EED_100FL);
        s = mix(s ^ eventId.getMostSignificantBits());
        s = mix(s ^ eventId.getLeastSignificantBits());
        return new ThompsonSampler(s);
    }

    /**
     * Weight of an operator = (times its sample was the largest + 1) / (draws + operators). The
     * +1 keeps every operator proposable, so an unlucky arm can still earn credit.
     */
    Map<String, Double> weights(Map<String, BetaPosterior> posteriors, int draws) {
        String[] ops = posteriors.keySet().toArray(String[]::new);
        int[] wins = new int[ops.length];
        for (int d = 0; d < draws; d++) {
            int best = 0;
            double bestSample = -1;
            for (int i = 0; i < ops.length; i++) {
                BetaPosterior p = posteriors.get(ops[i]);
                double sample = beta(p.alpha(), p.beta());
                if (sample > bestSample) {
                    bestSample = sample;
                    best = i;
                }
            }
            wins[best]++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < ops.length; i++) {
            out.put(ops[i], (wins[i] + 1.0) / (draws + ops.length));
        }
        return out;
    }

    double beta(double a, double b) {
        double x = gamma(a);
        double y = gamma(b);
        return x / (x + y);
    }

    /** Marsaglia–Tsang; shapes below 1 are boosted by U^(1/shape). */
    double gamma(double shape) {
        if (shape < 1) {
            return gamma(shape + 1) * StrictMath.pow(uniformOpen(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / StrictMath.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = normal();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = uniformOpen();
            if (u < 1 - 0.0331 * x * x * x * x
                    || StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
                return d * v;
            }
        }
    }

    private double normal() {
        double u1 = uniformOpen();
        double u2 = uniformOpen();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * StrictMath.PI * u2);
    }

    /** Uniform on (0, 1): never 0, so logarithms stay finite. */
    private double uniformOpen() {
        return ((nextLong() >>> 11) + 0.5) * 0x1.0p-53;
    }

    private long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
