package dev.seedloop.implementer.domain;

import java.util.List;
import java.util.Objects;

/**
 * Everything observed about one repeat: its seed, the raw run, the metrics read afterwards and
 * the workspace-relative protected paths found changed after it (empty when none).
 */
public record RepeatRun(long seed, RawRun run, MetricsParse metrics, List<String> protectedViolations) {

    public RepeatRun {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(metrics, "metrics");
        protectedViolations = List.copyOf(protectedViolations);
    }
}
