package dev.seedloop.evaluator.domain;

import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.Verdict;

/**
 * A verdict with its human-readable reason. {@code summary} is null only when the metric was
 * missing; {@code pValue} is set only when Welch's test was run.
 */
public record Decision(Verdict verdict, String reason, MetricSummary summary, Double pValue) {

    public Decision {
        if (verdict == null || reason == null) {
            throw new IllegalArgumentException("verdict and reason are required");
        }
    }
}
