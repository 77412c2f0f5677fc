package dev.seedloop.proposer.model;

import java.time.Duration;
import java.util.Objects;

/** The client-wide bounds of {@code seedloop.model-client.*} (see {@code ModelClientConfig} for each one's meaning). */
public record ClientLimits(int maxAttempts, Duration timeout, Duration backoffInitial, Duration backoffMax,
                           int maxAnswerChars, boolean replayOnly) {

    public ClientLimits {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(backoffInitial, "backoffInitial");
        Objects.requireNonNull(backoffMax, "backoffMax");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts must be at least 1 but was " + maxAttempts);
        }
        if (maxAnswerChars < 1) {
            throw new IllegalArgumentException("max-answer-chars must be at least 1 but was " + maxAnswerChars);
        }
        if (timeout.isNegative() || timeout.isZero() || backoffInitial.isNegative() || backoffMax.isNegative()) {
            throw new IllegalArgumentException("the timeout is positive and backoffs are never negative");
        }
    }
}
