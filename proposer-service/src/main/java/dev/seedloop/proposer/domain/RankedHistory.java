package dev.seedloop.proposer.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The valid part of a history in unit coordinates, best first. Ties keep history order (the sort is
 * stable), so equal inputs rank equally on every replay.
 */
final class RankedHistory {

    /** One usable observation: where it was (unit cube) and how good it was (smaller is better). */
    record Point(Observation observation, double[] unit, double score) {
    }

    private final List<Point> ranked;

    RankedHistory(StrategyInput input, UnitSpace unit) {
        List<Point> points = new ArrayList<>();
        for (Observation o : input.history()) {
            if (!o.isValid()) {
                continue;
            }
            double[] u = unit.encode(o.parameters());
            if (u != null) {
                points.add(new Point(o, u, input.score(o)));
            }
        }
        points.sort(Comparator.comparingDouble(Point::score));
        this.ranked = List.copyOf(points);
    }

    int size() {
        return ranked.size();
    }

    List<Point> best(int k) {
        return ranked.subList(0, Math.min(k, ranked.size()));
    }

    List<Point> all() {
        return ranked;
    }

    /** Start-up length for model-based strategies: enough points to say anything about every axis. */
    static int defaultWarmup(int dims) {
        return Math.max(8, 2 * dims);
    }

    /**
     * Whether a model-based strategy should still propose its quasi-random start: fewer valid results
     * than the {@code warmup} option (default {@link #defaultWarmup}), and never fewer than two.
     */
    boolean inWarmup(StrategyInput input, UnitSpace unit) {
        return size() < Math.max(2, input.intOption("warmup", defaultWarmup(unit.dims())));
    }
}
