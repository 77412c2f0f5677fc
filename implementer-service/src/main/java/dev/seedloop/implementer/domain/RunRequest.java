package dev.seedloop.implementer.domain;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One command to run inside {@code workspace} (absolute). {@code env} is added to the sandbox's
 * minimal environment. {@code protectedPaths} are workspace-relative files the command must not
 * change; sandboxing executors mount them read-only. {@code diskCeilingBytes} is how many bytes the
 * workspace's own volume may hold in use before the run is stopped for its disk quota, or null when
 * the workspace has no volume of its own (nothing to measure). {@code mounts} are directories only this run may
 * read (the held-out data for the held-out command); no other run sees them. Invariant: command not empty.
 */
public record RunRequest(Path workspace, List<String> command, Map<String, String> env, RunLimits limits,
                         List<String> protectedPaths, Long diskCeilingBytes, List<ReadOnlyMount> mounts) {

    public RunRequest {
        Objects.requireNonNull(workspace, "workspace");
        if (!workspace.isAbsolute()) {
            throw new IllegalArgumentException("workspace must be absolute but was " + workspace);
        }
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        env = Map.copyOf(new LinkedHashMap<>(env));
        Objects.requireNonNull(limits, "limits");
        protectedPaths = List.copyOf(protectedPaths);
        mounts = List.copyOf(mounts);
        for (ReadOnlyMount mount : mounts) {
            if (Path.of(mount.target()).startsWith(workspace) || workspace.startsWith(mount.target())) {
                throw new IllegalArgumentException("mount target " + mount.target() + " overlaps the workspace");
            }
        }
    }

    public RunRequest(Path workspace, List<String> command, Map<String, String> env, RunLimits limits,
                      List<String> protectedPaths, Long diskCeilingBytes) {
        this(workspace, command, env, limits, protectedPaths, diskCeilingBytes, List.of());
    }

    public RunRequest(Path workspace, List<String> command, Map<String, String> env, RunLimits limits,
                      List<String> protectedPaths) {
        this(workspace, command, env, limits, protectedPaths, null, List.of());
    }

    public RunRequest(Path workspace, List<String> command, Map<String, String> env, RunLimits limits) {
        this(workspace, command, env, limits, List.of(), null, List.of());
    }
}
