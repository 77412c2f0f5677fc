package dev.seedloop.proposer.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the proposer's model client calls every configured model ({@code seedloop.model-client.*}, ADR 0023).
 * Rate limits (429), server errors (5xx), refused or reset connections and timeouts are retried with exponential
 * backoff and full jitter: before attempt {@code n + 1} it waits a uniformly random time between zero and
 * {@code min(backoff-max, backoff-initial * 2^(n-1))}, or the server's {@code Retry-After} when that is longer (still
 * capped at {@code backoff-max}). Any other failure is not retried.
 */
@ConfigMapping(prefix = "seedloop.model-client")
public interface ModelClientConfig {

    /** HTTP attempts per call, the first included; a call that used them all fails its proposal. */
    @WithDefault("4")
    int maxAttempts();

    /**
     * How long one attempt may wait: to connect, and for the response to begin (the JDK client's request timeout; a
     * body that trickles in after its headers is bounded by {@link #maxAnswerChars()}, not by this).
     */
    @WithDefault("120s")
    Duration timeout();

    /** The backoff ceiling before the second attempt; doubled for each later one. */
    @WithDefault("1s")
    Duration backoffInitial();

    /** The largest wait between two attempts. */
    @WithDefault("30s")
    Duration backoffMax();

    /**
     * The longest answer accepted, in characters: a longer one is refused (the call fails with the reason, its tokens
     * and cost still counted since they were billed) rather than cut, since a cut edit would not apply anyway.
     */
    @WithDefault("200000")
    int maxAnswerChars();

    /**
     * Answer from recorded answers only: a call with no recorded answer fails ("no recorded answer; replay-only")
     * instead of asking the model. For replays that must not call any model.
     */
    @WithDefault("false")
    boolean replayOnly();
}
