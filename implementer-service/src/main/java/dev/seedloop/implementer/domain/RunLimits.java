package dev.seedloop.implementer.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits for one run of an experiment (its build, one repeat, its validation or held-out command), built from
 * the study spec's {@code ExperimentLimits} and the operator's disk limit. {@code cpuSeconds} is per process (RLIMIT_CPU);
 * {@code memoryMiB} and {@code maxProcesses} hold for all processes of the run together (a control group),
 * or per process where the operator allowed that weaker fallback; {@code maxOutputBytes} caps stdout plus
 * stderr together; {@code diskBytes} is how much the experiment may add to its workspace (its own volume)
 * and also the size of its private {@code /tmp}. Invariant: all values positive.
 */
public record RunLimits(Duration wallTimeout, long cpuSeconds, long memoryMiB, int maxProcesses,
                             long maxOutputBytes, long diskBytes) {

    /** What an experiment may write when nobody says otherwise: 1 GiB. */
    public static final long DEFAULT_DISK_BYTES = 1L << 30;

    public RunLimits {
        Objects.requireNonNull(wallTimeout, "wallTimeout");
        if (wallTimeout.isNegative() || wallTimeout.isZero()) {
            throw new IllegalArgumentException("wallTimeout must be positive but was " + wallTimeout);
        }
        positive(cpuSeconds, "cpuSeconds");
        positive(memoryMiB, "memoryMiB");
        positive(maxProcesses, "maxProcesses");
        positive(maxOutputBytes, "maxOutputBytes");
        positive(diskBytes, "diskBytes");
    }

    public RunLimits(Duration wallTimeout, long cpuSeconds, long memoryMiB, int maxProcesses,
                          long maxOutputBytes) {
        this(wallTimeout, cpuSeconds, memoryMiB, maxProcesses, maxOutputBytes, DEFAULT_DISK_BYTES);
    }

    /** 10 min wall, 600 s CPU, 4 GiB of memory, 256 processes, 16 MiB of output, 1 GiB of disk. */
    public static RunLimits defaults() {
        return new RunLimits(Duration.ofMinutes(10), 600, 4096, 256, 16L * 1024 * 1024, DEFAULT_DISK_BYTES);
    }

    public RunLimits withWallTimeout(Duration value) {
        return new RunLimits(value, cpuSeconds, memoryMiB, maxProcesses, maxOutputBytes, diskBytes);
    }

    public RunLimits withCpuSeconds(long value) {
        return new RunLimits(wallTimeout, value, memoryMiB, maxProcesses, maxOutputBytes, diskBytes);
    }

    public RunLimits withMemoryMiB(long value) {
        return new RunLimits(wallTimeout, cpuSeconds, value, maxProcesses, maxOutputBytes, diskBytes);
    }

    public RunLimits withMaxProcesses(int value) {
        return new RunLimits(wallTimeout, cpuSeconds, memoryMiB, value, maxOutputBytes, diskBytes);
    }

    public RunLimits withMaxOutputBytes(long value) {
        return new RunLimits(wallTimeout, cpuSeconds, memoryMiB, maxProcesses, value, diskBytes);
    }

    public RunLimits withDiskBytes(long value) {
        return new RunLimits(wallTimeout, cpuSeconds, memoryMiB, maxProcesses, maxOutputBytes, value);
    }

    private static void positive(long value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive but was " + value);
        }
    }
}
