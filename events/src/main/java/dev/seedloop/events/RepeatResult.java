package dev.seedloop.events;

import java.util.Map;

/**
 * One run of an experiment with one seed. Metrics keep the order the experiment reported them.
 * Invariant: metric values are finite and non-null; wallMillis is non-negative.
 */
public record RepeatResult(long seed, Map<String, Double> metrics, long wallMillis, int exitCode) {

    public RepeatResult {
        metrics = Checks.finiteDoubles(metrics, "metrics");
        Checks.atLeast(wallMillis, 0L, "wallMillis");
    }
}
