package dev.seedloop.events;

/**
 * A team admin set the team's quotas. Team-scoped, not study-scoped: the envelope's stream key is
 * {@link TeamStreams#streamId(String)} of the team, and the record travels on {@link Topics#TEAMS}.
 * Each value must be at least 1; the latest event wins.
 */
public record TeamQuotaSet(int maxConcurrentStudies, int maxExperimentsPerDay, String by) implements EventPayload {

    public TeamQuotaSet {
        if (maxConcurrentStudies < 1) {
            throw new IllegalArgumentException("maxConcurrentStudies must be >= 1 but was " + maxConcurrentStudies);
        }
        if (maxExperimentsPerDay < 1) {
            throw new IllegalArgumentException("maxExperimentsPerDay must be >= 1 but was " + maxExperimentsPerDay);
        }
        Checks.notBlank(by, "by");
    }
}
