package dev.seedloop.implementer.application;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-experiment copy of the base workspace. {@code contentHash} ("sha256:...") covers every
 * file including params.json; {@code paramEnv} holds the SEEDLOOP_PARAM_* variables;
 * {@code protectedHashes} maps each protected relative path to its digest at materialisation;
 * {@code diskCeilingBytes} is how many bytes its volume may hold in use before a run is stopped for the disk
 * quota (the copy plus the quota), or null when it is a plain directory without a volume of its own.
 */
public record MaterializedWorkspace(Path dir, String contentHash, Map<String, String> paramEnv,
                                    Map<String, String> protectedHashes, Long diskCeilingBytes) {

    public MaterializedWorkspace {
        paramEnv = Collections.unmodifiableMap(new LinkedHashMap<>(paramEnv));
        protectedHashes = Collections.unmodifiableMap(new LinkedHashMap<>(protectedHashes));
    }

    public MaterializedWorkspace(Path dir, String contentHash, Map<String, String> paramEnv,
                                 Map<String, String> protectedHashes) {
        this(dir, contentHash, paramEnv, protectedHashes, null);
    }

    /** Protected files to mount read-only, relative to {@link #dir()}. */
    public List<String> protectedPaths() {
        return List.copyOf(protectedHashes.keySet());
    }
}
