package dev.seedloop.implementer.application;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-experiment copy of the base workspace. {@code contentHash} ("sha256:...") covers every
 * file including params.json; {@code paramEnv} holds the SEEDLOOP_PARAM_* variables;
 * {@code protectedHashes} maps each protected relative path to its digest at materialisation.
 */
public record MaterializedWorkspace(Path dir, String contentHash, Map<String, String> paramEnv,
                                    Map<String, String> protectedHashes) {

    public MaterializedWorkspace {
        paramEnv = Collections.unmodifiableMap(new LinkedHashMap<>(paramEnv));
        protectedHashes = Collections.unmodifiableMap(new LinkedHashMap<>(protectedHashes));
    }

    /** Protected files to mount read-only, relative to {@link #dir()}. */
    public List<String> protectedPaths() {
        return List.copyOf(protectedHashes.keySet());
    }
}
