package dev.seedloop.events;

import java.util.List;
import java.util.Map;

/**
 * A study was accepted by the gateway: the objective, search space, budget, proposal strategy
 * and seed that fully determine its run, plus the SHA-256 of the submitted spec so a replay can
 * prove it ran the same study. Always the first event of a study.
 *
 * <p>v2 added {@code promotion} (who promotes champions) and {@code createdBy} (the user who submitted it;
 * null for studies created before v2, whose creator was not recorded). v3 added {@code origin}: where a fork
 * comes from and what it inherits (null for a study that is not a fork, and for every study before v3). v4 made the
 * workspace an uploaded tree ({@link WorkspaceRef#tree()}; a server path is legacy) and added held-out data
 * ({@link ValidationSpec#heldOutData()}).
 */
public record StudyCreated(String name, Objective objective, SearchSpace searchSpace, Budget budget,
                           String strategy, long seed, String specSha256, @Nullable WorkspaceRef workspace,
                           @Nullable ExperimentSpec experiment, @Nullable ValidationSpec validation,
                           List<String> protectedPaths, Map<String, String> strategyOptions,
                           PromotionPolicy promotion, @Nullable String createdBy, @Nullable StudyOrigin origin)
        implements EventPayload {

    /** A study promoted automatically, creator not recorded. */
    public StudyCreated(String name, Objective objective, SearchSpace searchSpace, Budget budget,
                        String strategy, long seed, String specSha256, WorkspaceRef workspace,
                        ExperimentSpec experiment, ValidationSpec validation,
                        List<String> protectedPaths, Map<String, String> strategyOptions) {
        this(name, objective, searchSpace, budget, strategy, seed, specSha256, workspace, experiment, validation,
                protectedPaths, strategyOptions, PromotionPolicy.AUTO, null, null);
    }

    /** A study with nothing to run yet (no workspace or experiment): enough for strategy-only use and tests. */
    public StudyCreated(String name, Objective objective, SearchSpace searchSpace, Budget budget, String strategy,
                        long seed, String specSha256) {
        this(name, objective, searchSpace, budget, strategy, seed, specSha256, null, null, null, List.of(), Map.of(),
                PromotionPolicy.AUTO, null, null);
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
        Checks.notNull(promotion, "promotion");
    }

    /** The same study with a creator and promotion policy (the gateway fills both in). */
    public StudyCreated withGovernance(PromotionPolicy policy, String creator) {
        return new StudyCreated(name, objective, searchSpace, budget, strategy, seed, specSha256, workspace, experiment,
                validation, protectedPaths, strategyOptions, policy, creator, origin);
    }

    /** The same study as a fork of another (the gateway fills this in for a fork). */
    public StudyCreated forkedFrom(StudyOrigin from) {
        return new StudyCreated(name, objective, searchSpace, budget, strategy, seed, specSha256, workspace, experiment,
                validation, protectedPaths, strategyOptions, promotion, createdBy, from);
    }
}
