package dev.seedloop.events;

/**
 * The code a study improves. Since StudyCreated v4 it is an uploaded, content-addressed tree: {@code tree} is the
 * tree hash the artifact store knows it by (owned by the study's team). Studies created before v4 named a directory
 * on the servers' own disks ({@code location}, with the {@code sha256} of its content then): they stay readable for
 * replay and postmortems, and the implementer refuses to run them, since a server path is no longer trusted.
 *
 * <p>Invariant: exactly one of {@code tree} and {@code location}; {@code sha256} goes with {@code location}.
 */
public record WorkspaceRef(@Nullable String tree, @Nullable String location, @Nullable String sha256) {

    public WorkspaceRef {
        if ((tree == null) == (location == null)) {
            throw new IllegalArgumentException("a workspace is either a tree or (before v4) a location, exactly one");
        }
        if (tree != null) {
            Checks.contentHash(tree, "tree");
            if (sha256 != null) {
                throw new IllegalArgumentException("sha256 belongs to a location, not to a tree");
            }
        } else {
            Checks.notBlank(location, "location");
            Checks.notBlank(sha256, "sha256");
        }
    }

    /** A workspace on a server's disk, as studies before v4 named it. */
    public WorkspaceRef(String location, String sha256) {
        this(null, location, sha256);
    }

    /** An uploaded workspace. */
    public static WorkspaceRef ofTree(String tree) {
        return new WorkspaceRef(tree, null, null);
    }

    /** Whether this names a server path (a study from before uploaded workspaces). */
    public boolean isLegacyLocation() {
        return location != null;
    }
}
