package dev.seedloop.stack;

import java.time.Duration;

/**
 * How long the supervisor waits before starting a crashed process again: {@code initial}, doubled for every crash
 * that follows soon after a start, at most {@code max}. A process that stayed up for {@code stableAfter} starts the
 * count afresh, so a crash a week after the last one is retried at once while a crash loop does not spin.
 */
public record Backoff(Duration initial, Duration max, Duration stableAfter) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(1));

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || stableAfter.isNegative()) {
            throw new IllegalArgumentException("Backoff needs 0 < initial <= max and stableAfter >= 0: " + initial
                    + ", " + max + ", " + stableAfter);
        }
    }

    /** The wait before restart number {@code consecutiveCrashes} (1 for the first crash after a stable run). */
    public Duration delay(int consecutiveCrashes) {
        if (consecutiveCrashes <= 1) {
            return initial;
        }
        // Doubling stops once it passes max, so the shift cannot overflow.
        Duration delay = initial;
        for (int i = 1; i < consecutiveCrashes && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /** The consecutive-crash count after a crash of a process that had been up for {@code uptime}. */
    public int afterCrash(int consecutiveCrashes, Duration uptime) {
        return uptime.compareTo(stableAfter) >= 0 ? 1 : consecutiveCrashes + 1;
    }
}
