package dev.seedloop.events;

/**
 * What a study optimises: one metric name and a direction, optionally with a target value at
 * which the study may stop early. Invariant: metric is non-blank; target, when present, is finite.
 */
public record Objective(String metric, Direction direction, @Nullable Double target) {

    public Objective {
        Checks.notBlank(metric, "metric");
        Checks.notNull(direction, "direction");
        if (target != null && !Double.isFinite(target)) {
            throw new IllegalArgumentException("target must be finite but was " + target);
        }
    }
}
