package dev.seedloop.proposer.model;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: before attempt {@code n + 1} a uniformly random wait in
 * {@code [0, min(max, initial * 2^(n-1))]}, so clients that failed together do not retry together; a server's
 * {@code Retry-After}, when longer, is waited instead, never beyond {@code max}.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The wait after {@code failedAttempts} (at least 1) failed attempts; {@code retryAfter} nullable. */
    Duration after(int failedAttempts, Duration retryAfter) {
        long ceiling = ceilingMillis(failedAttempts);
        long jittered = ceiling == 0 ? 0 : random.nextLong(ceiling + 1);
        long wait = retryAfter == null ? jittered : Math.max(jittered, retryAfter.toMillis());
        return Duration.ofMillis(Math.min(wait, max.toMillis()));
    }

    long ceilingMillis(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 30);
        long ceiling = initial.toMillis() << doublings;
        return ceiling < 0 ? max.toMillis() : Math.min(ceiling, max.toMillis());
    }
}
