package dev.seedloop.learner.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The learner's own settings ({@code seedloop.learner.*}). */
@ConfigMapping(prefix = "seedloop.learner")
public interface LearnerConfig {

    /** The event store. */
    Store store();

    /** Answering the gateway's queries. */
    Queries queries();

    interface Store {
        /**
         * Events fetched per round trip when streaming a study or the whole store: bounds replay
         * memory to one page whatever the stream's length.
         */
        @WithDefault("500")
        int readPageSize();
    }

    interface Queries {
        /**
         * Requests older than this are skipped instead of answered: the query consumer starts from the
         * earliest offset so that requests sent just before it started are answered, but whoever sent
         * an older one has long given up waiting. Keep it above the gateway's reply timeout.
         */
        @WithDefault("30s")
        Duration maxAge();
    }
}
