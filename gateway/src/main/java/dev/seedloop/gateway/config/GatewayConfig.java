package dev.seedloop.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's own settings ({@code seedloop.gateway.*}). */
@ConfigMapping(prefix = "seedloop.gateway")
public interface GatewayConfig {

    /** Quotas of a team whose admin never set any (the learner admits studies against them). */
    Quota quota();

    /** The public OIDC client the CLI logs in with, announced by {@code GET /api/v1/auth}. */
    @WithDefault("seedloop-cli")
    String cliClientId();

    /** The audience every accepted token must carry (also enforced by {@code quarkus.oidc.token.audience}). */
    @WithDefault("seedloop-gateway")
    String audience();

    /** How long a read waits for the learner's answer before the client gets 503. */
    @WithDefault("10s")
    Duration queryTimeout();

    /** Live streams send a comment this often when idle, and re-read the store to heal any missed event. */
    @WithDefault("10s")
    Duration streamHeartbeat();

    /** Readiness: whether a read can be answered now, proven by a ping round trip to the learner. */
    Readiness readiness();

    interface Readiness {
        /** How long a readiness ping waits for the learner's pong before the gateway counts as not ready. */
        @WithDefault("3s")
        Duration pingTimeout();

        /** How long one ping's outcome answers readiness probes, so probes cost a Kafka round trip at most this often. */
        @WithDefault("5s")
        Duration cacheFor();
    }

    /** Defaults sent with each admission ({@code Query.AdmitStudy}); the learner applies them where a team set none. */
    interface Quota {
        /** Studies a team may have created, running or paused at once. */
        @WithDefault("5")
        int maxConcurrentStudies();

        /** Experiments a team may start per day (from 00:00 UTC). */
        @WithDefault("2000")
        int maxExperimentsPerDay();
    }
}
