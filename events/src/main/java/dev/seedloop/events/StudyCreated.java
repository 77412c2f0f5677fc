package dev.seedloop.events;

/**
 * A study was accepted by the gateway: the objective, search space, budget, proposal strategy
 * and seed that fully determine its run, plus the SHA-256 of the submitted spec so a replay can
 * prove it ran the same study. Always the first event of a study.
 */
public record StudyCreated(String name, Objective objective, SearchSpace searchSpace, Budget budget,
                           String strategy, long seed, String specSha256) implements EventPayload {

    public StudyCreated {
        Checks.notBlank(name, "name");
        Checks.notNull(objective, "objective");
        Checks.notNull(searchSpace, "searchSpace");
        Checks.notNull(budget, "budget");
        Checks.notBlank(strategy, "strategy");
        Checks.notBlank(specSha256, "specSha256");
    }
}
