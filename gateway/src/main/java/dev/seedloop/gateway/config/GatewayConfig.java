package dev.seedloop.gateway.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's own settings ({@code seedloop.gateway.*}). */
@ConfigMapping(prefix = "seedloop.gateway")
public interface GatewayConfig {

    /** Quotas of a team whose admin never set any. */
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

    interface Quota {
        @WithDefault("5")
        int maxConcurrentStudies();

        @WithDefault("2000")
        int maxExperimentsPerDay();
    }
}
