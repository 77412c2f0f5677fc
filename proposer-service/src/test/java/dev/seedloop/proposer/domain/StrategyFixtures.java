package dev.seedloop.proposer.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

import dev.seedloop.events.Direction;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.SearchSpace;

/** Shared spaces and histories for the strategy tests. */
final class StrategyFixtures {

    /** One parameter of every kind, including a log scale and a two-valued INT. */
    static final SearchSpace MIXED = new SearchSpace(List.of(
            Parameter.floating("rate", 1e-4, 1.0, true),
            Parameter.floating("momentum", 0.0, 0.99, false),
            Parameter.integer("depth", 2, 5),
            Parameter.integer("flag", 0, 1),
            Parameter.categorical("fit", List.of("best", "first", "worst"))));

    private StrategyFixtures() {
    }

    /** A history of {@code n} sobol points scored by {@code objective}, observed in ordinal order. */
    static List<Observation> history(SearchSpace space, long seed, int n, ToDoubleFunction<Map<String, Object>> objective) {
        List<Observation> history = new ArrayList<>();
        for (int ordinal = 0; ordinal < n; ordinal++) {
            Map<String, Object> point = SobolSearch.sample(space, seed, ordinal);
            history.add(new Observation(id(ordinal), point, objective.applyAsDouble(point), SobolSearch.OPERATOR));
        }
        return history;
    }

    /** A made-up objective over MIXED, so the model-based strategies leave their start-up phase. */
    static double mixedObjective(Map<String, Object> p) {
        double rate = Math.log10((Double) p.get("rate")) + 2;
        double momentum = (Double) p.get("momentum") - 0.9;
        double depth = (Long) p.get("depth") - 4;
        double fit = p.get("fit").equals("first") ? 0 : 1;
        return rate * rate + momentum * momentum + 0.1 * depth * depth + fit + 0.3 * (Long) p.get("flag");
    }

    static StrategyInput input(SearchSpace space, long seed, int nextOrdinal, List<Observation> history) {
        return new StrategyInput(space, Direction.MINIMIZE, seed, nextOrdinal, history, Map.of(), Map.of());
    }

    static UUID id(int ordinal) {
        return new UUID(0x5eed, ordinal);
    }
}
