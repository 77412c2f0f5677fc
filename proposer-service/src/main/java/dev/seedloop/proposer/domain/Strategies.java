package dev.seedloop.proposer.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strategy registry. {@value #DEFAULT} is an alias: {@link #byName(String)} resolves it to the
 * strategy it currently stands for, whose own {@link Strategy#name()} a study should record, so a
 * later change of the default cannot change the replay of an existing study.
 */
public final class Strategies {

    public static final String DEFAULT = "default";

    /**
     * The default is TPE: in docs/benchmarks.md it has the best median at 100 evaluations on
     * Branin, Hartmann-6 and Rosenbrock-5 among the strategies here.
     */
    static final Strategy DEFAULT_STRATEGY = TpeSearch.INSTANCE;

    private static final Map<String, Strategy> BY_NAME = registry();

    private Strategies() {
    }

    /** The strategy registered under {@code name}; unknown names are an IllegalArgumentException. */
    public static Strategy byName(String name) {
        Strategy strategy = BY_NAME.get(name);
        if (strategy == null) {
            throw new IllegalArgumentException("unknown strategy '" + name + "'; known: " + names());
        }
        return strategy;
    }

    /** Every accepted name, including {@value #DEFAULT}. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    private static Map<String, Strategy> registry() {
        Map<String, Strategy> map = new LinkedHashMap<>();
        for (Strategy s : List.of(RandomSearch.INSTANCE, SobolSearch.INSTANCE, EvolutionarySearch.INSTANCE, TpeSearch.INSTANCE)) {
            map.put(s.name(), s);
        }
        map.put(DEFAULT, DEFAULT_STRATEGY);
        return map;
    }
}
