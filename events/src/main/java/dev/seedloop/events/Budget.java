package dev.seedloop.events;

/**
 * Limits of a study. Invariant: every limit is at least 1. {@code model} (StudyCreated v5) caps language-model
 * spend; null when the study sets no such cap (and for every study before v5).
 */
public record Budget(int maxExperiments, long maxWallSeconds, int parallelism, @Nullable ModelBudget model) {

    /** A budget without a cap on language-model spend. */
    public Budget(int maxExperiments, long maxWallSeconds, int parallelism) {
        this(maxExperiments, maxWallSeconds, parallelism, null);
    }

    public Budget {
        Checks.atLeast(maxExperiments, 1, "maxExperiments");
        Checks.atLeast(maxWallSeconds, 1L, "maxWallSeconds");
        Checks.atLeast(parallelism, 1, "parallelism");
    }

    /** The same limits with a cap on language-model spend. */
    public Budget withModel(ModelBudget modelBudget) {
        return new Budget(maxExperiments, maxWallSeconds, parallelism, modelBudget);
    }
}
