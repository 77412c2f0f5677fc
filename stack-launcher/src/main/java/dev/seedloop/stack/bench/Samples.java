package dev.seedloop.stack.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Durations in milliseconds, summarised by nearest-rank percentiles (no interpolation: every figure was seen). */
public final class Samples {

    private final List<Double> millis = new ArrayList<>();

    public synchronized void add(double ms) {
        millis.add(ms);
    }

    public synchronized void addAll(Samples other) {
        millis.addAll(other.values());
    }

    public synchronized List<Double> values() {
        return List.copyOf(millis);
    }

    public synchronized int count() {
        return millis.size();
    }

    /** The nearest-rank {@code p}th percentile (0 < p <= 100); NaN without samples. */
    public synchronized double percentile(double p) {
        if (millis.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public synchronized double max() {
        return millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** {@code p50 12.0 ms, p99 40.0 ms, max 52.0 ms (n=200)}. */
    public String summary() {
        return String.format(Locale.ROOT, "p50 %7.1f ms, p99 %7.1f ms, max %7.1f ms (n=%d)", percentile(50),
                percentile(99), max(), count());
    }
}
