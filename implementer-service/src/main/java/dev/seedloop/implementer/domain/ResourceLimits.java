package dev.seedloop.implementer.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits for one sandboxed run (a build or one repeat). {@code cpuSeconds} and {@code memoryMiB}
 * are per process (RLIMIT_CPU, RLIMIT_AS); {@code maxProcesses} counts processes of the sandbox
 * user; {@code maxOutputBytes} caps stdout plus stderr together. Invariant: all values positive.
 */
public record ResourceLimits(Duration wallTimeout, long cpuSeconds, long memoryMiB, int maxProcesses,
                             long maxOutputBytes) {

    public ResourceLimits {
        Objects.requireNonNull(wallTimeout, "wallTimeout");
        if (wallTimeout.isNegative() || wallTimeout.isZero()) {
            throw new IllegalArgumentException("wallTimeout must be positive but was " + wallTimeout);
        }
        positive(cpuSeconds, "cpuSeconds");
        positive(memoryMiB, "memoryMiB");
        positive(maxProcesses, "maxProcesses");
        positive(maxOutputBytes, "maxOutputBytes");
    }

    /** 10 min wall, 600 s CPU, 4 GiB address space, 256 processes, 16 MiB of output. */
    public static ResourceLimits defaults() {
        return new ResourceLimits(Duration.ofMinutes(10), 600, 4096, 256, 16L * 1024 * 1024);
    }

    public ResourceLimits withWallTimeout(Duration value) {
        return new ResourceLimits(value, cpuSeconds, memoryMiB, maxProcesses, maxOutputBytes);
    }

    public ResourceLimits withCpuSeconds(long value) {
        return new ResourceLimits(wallTimeout, value, memoryMiB, maxProcesses, maxOutputBytes);
    }

    public ResourceLimits withMemoryMiB(long value) {
        return new ResourceLimits(wallTimeout, cpuSeconds, value, maxProcesses, maxOutputBytes);
    }

    public ResourceLimits withMaxProcesses(int value) {
        return new ResourceLimits(wallTimeout, cpuSeconds, memoryMiB, value, maxOutputBytes);
    }

    public ResourceLimits withMaxOutputBytes(long value) {
        return new ResourceLimits(wallTimeout, cpuSeconds, memoryMiB, maxProcesses, value);
    }

    private static void positive(long value, String field) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be positive but was " + value);
        }
    }
}
