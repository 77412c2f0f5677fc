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
}
