package dev.seedloop.proposer.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The proposer's settings ({@code seedloop.proposer.*}). */
@ConfigMapping(prefix = "seedloop.proposer")
public interface ProposerConfig {

    /**
     * How long a lookup may wait for the study directory (and, at start, the proposal book) to read its topics up to
     * now. Longer is a transient failure, retried under the channel's policy; a study still unknown after reading up
     * to now is the record's own problem (dead-lettered).
     */
    @WithDefault("30s")
    Duration viewWait();

    /** The artifact store the llm strategy reads parent trees from and stores child trees in (ADR 0018). */
    Artifacts artifacts();

    interface Artifacts {

        /** The owner role that migrates schema {@code artifacts} (ADR 0016); the queries run as the application role. */
        Migration migration();

        interface Migration {
            /** The owner role's name (the same {@code QUARKUS_FLYWAY_USERNAME} the learner migrates with). */
            String username();

            /** The owner role's password. */
            String password();
        }
    }

    /** The llm strategy's settings. */
    Llm llm();

    interface Llm {

        /**
         * How many language-model calls run at once (all studies together). The calls of one request run
         * concurrently up to this; requests are handled one at a time.
         */
        @WithDefault("4")
        int parallelCalls();
    }
}
