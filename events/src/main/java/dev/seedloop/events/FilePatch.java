package dev.seedloop.events;

/**
 * One file of a proposal's change set, relative to the workspace root: its whole new content (UTF-8), or a unified
 * diff of that one file against the parent tree ({@code diff}, since ProposalCreated v2), or neither to delete it.
 * Invariant: the path is relative, uses '/', and never leaves the workspace; content and diff never both.
 */
public record FilePatch(String path, @Nullable String content, @Nullable String diff) {

    public FilePatch {
        Checks.notBlank(path, "path");
        if (path.startsWith("/") || path.contains("\\") || java.util.List.of(path.split("/")).contains("..")
                || java.util.List.of(path.split("/")).contains("")) {
            throw new IllegalArgumentException("path must be relative to the workspace, without '..', but was '"
                    + path + "'");
        }
        if (content != null && diff != null) {
            throw new IllegalArgumentException("a patch of " + path + " is whole content or a diff, not both");
        }
    }

    /** The whole new content of {@code path}, or null to delete it. */
    public FilePatch(String path, String content) {
        this(path, content, null);
    }

    public static FilePatch diff(String path, String unifiedDiff) {
        return new FilePatch(path, null, Checks.notBlank(unifiedDiff, "diff"));
    }

    public boolean deletes() {
        return content == null && diff == null;
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
