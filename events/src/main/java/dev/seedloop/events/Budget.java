package dev.seedloop.events;

/** Limits of a study. Invariant: every limit is at least 1. */
public record Budget(int maxExperiments, long maxWallSeconds, int parallelism) {

    public Budget {
        Checks.atLeast(maxExperiments, 1, "maxExperiments");
        Checks.atLeast(maxWallSeconds, 1L, "maxWallSeconds");
        Checks.atLeast(parallelism, 1, "parallelism");
    }
}
