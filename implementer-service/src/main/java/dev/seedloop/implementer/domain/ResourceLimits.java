package dev.seedloop.implementer.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits for one sandboxed run (a build or one repeat). {@code cpuSeconds} is per process (RLIMIT_CPU);
 * {@code memoryMiB} and {@code maxProcesses} hold for all processes of the run together (a control group),
 * or per process where the operator allowed that weaker fallback; {@code maxOutputBytes} caps stdout plus
 * stderr together; {@code diskBytes} is how much the experiment may add to its workspace (its own volume)
 * and also the size of its private {@code /tmp}. Invariant: all values positive.
 */
public record ResourceLimits(Duration wallTimeout, long cpuSeconds, long memoryMiB, int maxProcesses,
                             long maxOutputBytes, long diskBytes) {

    /** What an experiment may write when nobody says otherwise: 1 GiB. */
    public static final long DEFAULT_DISK_BYTES = 1L << 30;

    public ResourceLimits {
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

    public ResourceLimits(Duration wallTimeout, long cpuSeconds, long memoryMiB, int maxProcesses,
                          long maxOutputBytes) {
        this(wallTimeout, cpuSeconds, memoryMiB, maxProcesses, maxOutputBytes, DEFAULT_DISK_BYTES);
    }

    /** 10 min wall, 600 s CPU, 4 GiB of memory, 256 processes, 16 MiB of output, 1 GiB of disk. */
    public static ResourceLimits defaults() {
        return new ResourceLimits(Duration.ofMinutes(10), 600, 4096, 256, 16L * 1024 * 1024, DEFAULT_DISK_BYTES);
    }

    public ResourceLimits withWallTimeout(Duration value) {
        return new ResourceLimits(value, cpuSeconds, memoryMiB, maxProcesses, maxOutputBytes, diskBytes);
    }

    public ResourceLimits withCpuSeconds(long value) {
        return new ResourceLimits(wallTimeout, value, memoryMiB, maxProcesses, maxOutputBytes, diskBytes);
    }

    public ResourceLimits withMemoryMiB(long value) {
        return new ResourceLimits(wallTimeout, cpuSeconds, value, maxProcesses, maxOutputBytes, diskBytes);
    }

    public ResourceLimits withMaxProcesses(int value) {
        return new ResourceLimits(wallTimeout, cpuSeconds, memoryMiB, value, maxOutputBytes, diskBytes);
    }

    public ResourceLimits withMaxOutputBytes(long value) {
        return new ResourceLimits(wallTimeout, cpuSeconds, memoryMiB, maxProcesses, value, diskBytes);
    }

    public ResourceLimits withDiskBytes(long value) {
        return new ResourceLimits(wallTimeout, cpuSeconds, memoryMiB, maxProcesses, maxOutputBytes, value);
    }

    private static void positive(long value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive but was " + value);
        }
    }
}
