package dev.seedloop.implementer.domain;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A directory of the host a run may read but not write, and nothing else may see: the held-out data, for the
 * held-out command only. A sandbox binds {@code source} read-only at {@code target} (absolute, outside the
 * workspace) and sets {@code envVar} to {@code target}; a runner without a sandbox (which cannot mount) sets
 * {@code envVar} to {@code source}. Programs find the directory through {@code envVar}, never by a fixed path.
 */
public record ReadOnlyMount(Path source, String target, String envVar) {

    public ReadOnlyMount {
        Objects.requireNonNull(source, "source");
        if (!source.isAbsolute()) {
            throw new IllegalArgumentException("source must be absolute but was " + source);
        }
        if (!target.startsWith("/") || Path.of(target).normalize().getNameCount() == 0
                || !Path.of(target).normalize().toString().equals(target)) {
            throw new IllegalArgumentException("target must be a normalised absolute path below / but was " + target);
        }
        if (!envVar.matches("[A-Z_][A-Z0-9_]*")) {
            throw new IllegalArgumentException("envVar must be an environment variable name but was " + envVar);
        }
    }
}
