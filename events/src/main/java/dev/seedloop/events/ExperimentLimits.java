package dev.seedloop.events;

/** Resources one experiment run may use; every limit is at least 1. */
public record ExperimentLimits(long cpuSeconds, long memoryMiB, int maxProcesses, long maxOutputBytes) {

    public ExperimentLimits {
        Checks.atLeast(cpuSeconds, 1L, "cpuSeconds");
        Checks.atLeast(memoryMiB, 1L, "memoryMiB");
        Checks.atLeast(maxProcesses, 1, "maxProcesses");
        Checks.atLeast(maxOutputBytes, 1L, "maxOutputBytes");
    }
}
