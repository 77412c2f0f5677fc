package dev.seedloop.implementer.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The implementer's own settings ({@code seedloop.implementer.*}). */
@ConfigMapping(prefix = "seedloop.implementer")
public interface ImplementerConfig {

    /**
     * Run experiments without bubblewrap when it is missing. The process runner limits resources but
     * does not isolate: only for trusted code (the demo's examples). Refused by default.
     */
    @WithDefault("false")
    boolean allowUnsandboxed();

    /** Where each experiment gets its own copy of the workspace; defaults to the temp directory. */
    Optional<String> workspacesRoot();

    /** Keep an experiment's workspace after it ran (for debugging); by default it is deleted. */
    @WithDefault("false")
    boolean keepWorkspaces();
}
