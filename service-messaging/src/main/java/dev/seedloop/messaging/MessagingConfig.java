package dev.seedloop.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithName;

/**
 * How each incoming channel meets a failing handler ({@code seedloop.messaging.channels.<channel>.*}); see
 * {@link InboundChannels} and ADR 0014. A channel that is not listed gets the defaults; services list theirs
 * anyway, so the policy of every channel can be read in its {@code application.properties}.
 */
@ConfigMapping(prefix = "seedloop.messaging")
public interface MessagingConfig {

    /** The failure policy of each incoming channel, by channel name (as in {@code @Incoming}). */
    @WithDefaults
    Map<String, ChannelPolicy> channels();

    /** One channel's policy: transient failures are retried long, deterministic ones a few times then parked. */
    interface ChannelPolicy {

        @WithName("transient")
        TransientPolicy transientFailures();

        @WithName("deterministic")
        DeterministicPolicy deterministicFailures();
    }

    /**
     * A dependency that is down (broker, database) or slow (a topic view catching up): the record waits, readiness
     * says so, and it is processed once the dependency is back. Exponential backoff from {@code initial-delay},
     * doubling up to {@code max-delay}; only after {@code max-duration} of failures is the record dead-lettered
     * (with the last failure as its reason), so that a failure wrongly thought transient cannot wedge the channel
     * for ever.
     */
    interface TransientPolicy {

        /** Wait before the first retry. */
        @WithDefault("1s")
        Duration initialDelay();

        /** Longest wait between two attempts. */
        @WithDefault("60s")
        Duration maxDelay();

        /** How long a record keeps being retried before it is dead-lettered. */
        @WithDefault("24h")
        Duration maxDuration();

        /** Further exception types (fully qualified; subtypes too) this channel treats as transient. */
        Optional<Set<String>> extraTypes();
    }

    /**
     * A failure that will repeat with this record (a handler bug, an event too large, an unknown study): retried
     * {@code max-retries} times in case it was not so deterministic after all, then dead-lettered with its reason,
     * and the channel goes on with the next record.
     */
    interface DeterministicPolicy {

        /** Retries after the first attempt before the record is dead-lettered. */
        @WithDefault("2")
        int maxRetries();

        /** Wait between two attempts. */
        @WithDefault("200ms")
        Duration delay();
    }
}
