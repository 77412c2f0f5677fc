package dev.seedloop.proposer.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.seedloop.events.Direction;
import dev.seedloop.events.SearchSpace;

/**
 * Everything a {@link Strategy} may depend on. Keeping the whole input in one value is what makes
 * proposals replayable: persist these fields and the proposals follow.
 *
 * @param space           where candidates must lie
 * @param direction       whether smaller or larger objective values are better
 * @param seed            the study seed
 * @param nextOrdinal     ordinal of the first candidate to propose
 * @param history         evaluated proposals in the order their results were observed; the
 *                        evolutionary step-size rule reads that order
 * @param operatorWeights non-negative weights per operator from the learner's bandit; empty means
 *                        "use the strategy's defaults"
 * @param options         strategy-specific tuning, as strings (see the proposer README)
 * @param pending         points proposed but not evaluated yet (in flight), which a strategy should not propose
 *                        again; a batch's earlier candidates count as pending for its later ones
 */
public record StrategyInput(SearchSpace space, Direction direction, long seed, int nextOrdinal,
                            List<Observation> history, Map<String, Double> operatorWeights,
                            Map<String, String> options, List<Map<String, Object>> pending) {

    /** An input with nothing in flight. */
    public StrategyInput(SearchSpace space, Direction direction, long seed, int nextOrdinal,
                         List<Observation> history, Map<String, Double> operatorWeights, Map<String, String> options) {
        this(space, direction, seed, nextOrdinal, history, operatorWeights, options, List.of());
    }

    public StrategyInput {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(direction, "direction");
        if (nextOrdinal < 0) {
            throw new IllegalArgumentException("nextOrdinal must be >= 0 but was " + nextOrdinal);
        }
        history = List.copyOf(history);
        operatorWeights = Collections.unmodifiableMap(new LinkedHashMap<>(operatorWeights));
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        pending = pending.stream().map(p -> Collections.unmodifiableMap(new LinkedHashMap<>(p))).toList();
    }

    /** A fresh study: no history, default weights and options. */
    public static StrategyInput initial(SearchSpace space, Direction direction, long seed) {
        return new StrategyInput(space, direction, seed, 0, List.of(), Map.of(), Map.of());
    }

    /** The objective turned into "smaller is better", so strategies only ever minimise. */
    double score(Observation observation) {
        return direction == Direction.MINIMIZE ? observation.value() : -observation.value();
    }

    String stringOption(String key, String fallback) {
        String raw = options.get(key);
        return raw == null ? fallback : raw.trim();
    }

    double doubleOption(String key, double fallback) {
        String raw = options.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(raw.trim());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + key + "' must be a finite number but was '" + raw + "'");
        }
    }

    int intOption(String key, int fallback) {
        String raw = options.get(key);
        if (raw == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option '" + key + "' must be an integer but was '" + raw + "'");
        }
    }

    boolean booleanOption(String key, boolean fallback) {
        String raw = options.get(key);
        if (raw == null) {
            return fallback;
        }
        return switch (raw.trim().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("option '" + key + "' must be true or false but was '" + raw + "'");
        };
    }
}
