package dev.seedloop.proposer.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.seedloop.events.Parameter;
import dev.seedloop.events.ParameterKind;
import dev.seedloop.events.SearchSpace;

/**
 * Maps a search space onto the unit cube so every strategy can work with one geometry: log-scale
 * parameters become linear, INT values and categorical choices own equal-width cells whose
 * centres encode them.
 */
final class UnitSpace {

    private final List<Parameter> parameters;

    UnitSpace(SearchSpace space) {
        this.parameters = space.parameters();
    }

    int dims() {
        return parameters.size();
    }

    boolean isCategorical(int dim) {
        return parameters.get(dim).kind() == ParameterKind.CATEGORICAL;
    }

    /** Number of distinct values of an INT or CATEGORICAL dimension; 0 for FLOAT. */
    int levels(int dim) {
        Parameter p = parameters.get(dim);
        return switch (p.kind()) {
            case FLOAT -> 0;
            case INT -> (int) Math.min(Integer.MAX_VALUE, (long) (p.high() - p.low()) + 1);
            case CATEGORICAL -> p.choices().size();
        };
    }

    /** Index of the categorical choice a unit coordinate falls on. */
    int choiceIndex(int dim, double u) {
        int k = levels(dim);
        return Math.min(k - 1, Math.max(0, (int) Math.floor(u * k)));
    }

    /** Unit coordinate of a categorical choice: the centre of its cell. */
    double choiceCentre(int dim, int index) {
        return (index + 0.5) / levels(dim);
    }

    /**
     * The point as unit coordinates, or {@code null} when it is missing a parameter or holds a value
     * the space cannot represent (the history may predate a changed space, or come from JSON with
     * loose number types).
     */
    double[] encode(Map<String, Object> point) {
        double[] u = new double[parameters.size()];
        for (int j = 0; j < u.length; j++) {
            Parameter p = parameters.get(j);
            Object raw = point.get(p.name());
            if (raw == null) {
                return null;
            }
            if (p.kind() == ParameterKind.CATEGORICAL) {
                int index = p.choices().indexOf(raw.toString());
                if (index < 0) {
                    return null;
                }
                u[j] = choiceCentre(j, index);
                continue;
            }
            if (!(raw instanceof Number number) || !Double.isFinite(number.doubleValue())) {
                return null;
            }
            double v = number.doubleValue();
            double low = p.low();
            double high = p.high();
            if (p.kind() == ParameterKind.INT) {
                u[j] = (Math.rint(v) - low + 0.5) / (high - low + 1);
            } else if (high == low) {
                u[j] = 0.5;
            } else if (p.logScale()) {
                u[j] = v <= 0 ? 0 : (StrictMath.log(v) - StrictMath.log(low)) / (StrictMath.log(high) - StrictMath.log(low));
            } else {
                u[j] = (v - low) / (high - low);
            }
            u[j] = clamp(u[j]);
        }
        return u;
    }

    /** The parameter values at unit coordinates; coordinates outside [0, 1] are clamped. */
    Map<String, Object> decode(double[] u) {
        Map<String, Object> point = new LinkedHashMap<>();
        for (int j = 0; j < parameters.size(); j++) {
            Parameter p = parameters.get(j);
            double x = clamp(u[j]);
            Object value = switch (p.kind()) {
                case CATEGORICAL -> p.choices().get(choiceIndex(j, x));
                case INT -> {
                    long v = (long) Math.floor(p.low() + x * (p.high() - p.low() + 1));
                    yield Math.min((long) (double) p.high(), Math.max((long) (double) p.low(), v));
                }
                case FLOAT -> {
                    double v = p.logScale()
                            ? StrictMath.exp(Math.log(p.low()) + x * (StrictMath.log(p.high()) - StrictMath.log(p.low())))
                            : p.low() + x * (p.high() - p.low());
                    // exp/log round-off may step just past a bound; the contract is inclusive bounds.
                    yield Math.min(p.high(), Math.max(p.low(), v));
                }
            };
            point.put(p.name(), value);
        }
        return point;
    }

    static double clamp(double u) {
        return u < 0 ? 0 : (u > 1 ? 1 : u);
    }
}
