package dev.seedloop.learner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The learner's own settings ({@code seedloop.learner.*}). */
@ConfigMapping(prefix = "seedloop.learner")
public interface LearnerConfig {

    /** The event store. */
    Store store();

    interface Store {
        /**
         * Events fetched per round trip when streaming a study or the whole store: bounds replay
         * memory to one page whatever the stream's length.
         */
        @WithDefault("500")
        int readPageSize();
    }
}
