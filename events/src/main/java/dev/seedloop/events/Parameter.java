package dev.seedloop.events;

import java.util.List;

/**
 * One dimension of a {@link SearchSpace}.
 *
 * <p>Invariants: numeric kinds ({@code FLOAT}, {@code INT}) have finite {@code low <= high}, and
 * {@code logScale} requires {@code low > 0}; {@code CATEGORICAL} has no bounds, no log scale and
 * at least one distinct choice. {@code choices} is never null: numeric kinds carry an empty list
 * so the JSON shape is the same for every kind.
 */
public record Parameter(String name, ParameterKind kind, @Nullable Double low, @Nullable Double high,
                        boolean logScale, List<String> choices) {

    public Parameter {
        Checks.notBlank(name, "name");
        Checks.notNull(kind, "kind");
        choices = Checks.list(choices, "choices");
        if (kind == ParameterKind.CATEGORICAL) {
            if (low != null || high != null || logScale) {
                throw new IllegalArgumentException("categorical parameter '" + name + "' must not have low, high or logScale");
            }
            if (choices.isEmpty()) {
                throw new IllegalArgumentException("categorical parameter '" + name + "' needs at least one choice");
            }
            if (choices.stream().distinct().count() != choices.size()) {
                throw new IllegalArgumentException("categorical parameter '" + name + "' has duplicate choices");
            }
        } else {
            if (low == null || high == null) {
                throw new IllegalArgumentException(kind.name().toLowerCase() + " parameter '" + name + "' needs low and high");
            }
            if (!Double.isFinite(low) || !Double.isFinite(high) || low > high) {
                throw new IllegalArgumentException("parameter '" + name + "' needs finite low <= high but was [" + low + ", " + high + "]");
            }
            if (logScale && low <= 0) {
                throw new IllegalArgumentException("log-scale parameter '" + name + "' needs low > 0");
            }
            if (!choices.isEmpty()) {
                throw new IllegalArgumentException(kind.name().toLowerCase() + " parameter '" + name + "' must not have choices");
            }
        }
    }

    /**
     * Whether {@code value} is a point of this dimension: a number within [low, high] (a whole number for INT),
     * or one of the choices. Used to decide which inherited points a changed search space still holds.
     */
    public boolean admits(Object value) {
        if (kind == ParameterKind.CATEGORICAL) {
            return value instanceof String s && choices.contains(s);
        }
        if (!(value instanceof Number n)) {
            return false;
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v) || v < low || v > high) {
            return false;
        }
        return kind != ParameterKind.INT || v == Math.rint(v);
    }

    public static Parameter floating(String name, double low, double high, boolean logScale) {
        return new Parameter(name, ParameterKind.FLOAT, low, high, logScale, List.of());
    }

    public static Parameter integer(String name, long low, long high) {
        return new Parameter(name, ParameterKind.INT, (double) low, (double) high, false, List.of());
    }

    public static Parameter categorical(String name, List<String> choices) {
        return new Parameter(name, ParameterKind.CATEGORICAL, null, null, false, choices);
    }
}
