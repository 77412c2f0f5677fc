package dev.seedloop.events;

import java.util.List;
import java.util.Map;

/**
 * A study was accepted by the gateway: the objective, search space, budget, proposal strategy
 * and seed that fully determine its run, plus the SHA-256 of the submitted spec so a replay can
 * prove it ran the same study. Always the first event of a study.
 */
public record StudyCreated(String name, Objective objective, SearchSpace searchSpace, Budget budget,
                           String strategy, long seed, String specSha256, @Nullable WorkspaceRef workspace,
                           @Nullable ExperimentSpec experiment, @Nullable ValidationSpec validation,
                           List<String> protectedPaths, Map<String, String> strategyOptions)
        implements EventPayload {

    /** A study with nothing to run yet (no workspace or experiment): enough for strategy-only use and tests. */
    public StudyCreated(String name, Objective objective, SearchSpace searchSpace, Budget budget, String strategy,
                        long seed, String specSha256) {
        this(name, objective, searchSpace, budget, strategy, seed, specSha256, null, null, null, List.of(), Map.of());
    }

    public StudyCreated {
        Checks.notBlank(name, "name");
        Checks.notNull(objective, "objective");
        Checks.notNull(searchSpace, "searchSpace");
        Checks.notNull(budget, "budget");
        Checks.notBlank(strategy, "strategy");
        Checks.notBlank(specSha256, "specSha256");
        protectedPaths = Checks.list(protectedPaths, "protectedPaths");
        strategyOptions = Checks.orderedMap(strategyOptions, "strategyOptions");
    }
}
