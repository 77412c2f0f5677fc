package dev.seedloop.events;

/**
 * One file of a proposal's patch set, relative to the workspace root: its new content (UTF-8), or
 * null to delete it. Invariant: the path is relative, uses '/', and never leaves the workspace.
 */
public record FilePatch(String path, @Nullable String content) {

    public FilePatch {
        Checks.notBlank(path, "path");
        if (path.startsWith("/") || path.contains("\\") || java.util.List.of(path.split("/")).contains("..")
                || java.util.List.of(path.split("/")).contains("")) {
            throw new IllegalArgumentException("path must be relative to the workspace, without '..', but was '"
                    + path + "'");
        }
    }

    /**
     * Whether this patch writes or deletes a protected path: the path itself, or anything below a
     * protected directory ({@code tests/} or {@code tests}).
     */
    public boolean touches(String protectedPath) {
        String guarded = protectedPath.endsWith("/") ? protectedPath.substring(0, protectedPath.length() - 1)
                : protectedPath;
        return path.equals(guarded) || path.startsWith(guarded + "/");
    }
}
