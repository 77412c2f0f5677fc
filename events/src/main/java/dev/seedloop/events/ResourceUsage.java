package dev.seedloop.events;

/** Resources consumed by an experiment across all repeats. Invariant: all values non-negative. */
public record ResourceUsage(long wallMillis, long cpuMillis, long maxRssKiB) {

    public static final ResourceUsage NONE = new ResourceUsage(0, 0, 0);

    public ResourceUsage {
        Checks.atLeast(wallMillis, 0L, "wallMillis");
        Checks.atLeast(cpuMillis, 0L, "cpuMillis");
        Checks.atLeast(maxRssKiB, 0L, "maxRssKiB");
    }
}
