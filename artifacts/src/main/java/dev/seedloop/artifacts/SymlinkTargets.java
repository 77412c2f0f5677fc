package dev.seedloop.artifacts;

import java.nio.charset.StandardCharsets;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/**
 * Which symbolic links a tree may hold: a relative target that, read from the link's directory one segment at a
 * time, never climbs above the tree's root ({@code ../lib/x} from {@code src/a} is fine, {@code ../../x} is not).
 * The walk is segment by segment rather than on a collapsed path, so {@code a/../../x} is refused even though it
 * would collapse to something shorter. Targets are at most {@link #MAX_TARGET_BYTES} bytes, without backslashes or
 * control characters.
 */
public final class SymlinkTargets {

    /** The longest target accepted, in UTF-8 bytes. */
    public static final int MAX_TARGET_BYTES = 1024;

    private SymlinkTargets() {
    }

    /**
     * @throws ArtifactRejectedException {@link Reason#SYMLINK_ESCAPES} when {@code target} is absolute, empty, too
     *     long, malformed, or leaves the tree
     */
    public static void check(TreePath link, String target) {
        if (target == null || target.isEmpty() || target.getBytes(StandardCharsets.UTF_8).length > MAX_TARGET_BYTES
                || target.startsWith("/") || target.matches("^[A-Za-z]:.*") || target.contains("\\")
                || target.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL)) {
            throw escapes(link, target);
        }
        int depth = link.segments().size() - 1;
        for (String segment : target.split("/")) {
            if (segment.equals("..")) {
                depth--;
                if (depth < 0) {
                    throw escapes(link, target);
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                depth++;
            }
        }
    }

    private static ArtifactRejectedException escapes(TreePath link, String target) {
        return new ArtifactRejectedException(Reason.SYMLINK_ESCAPES, link.value(), "the symbolic link '" + link
                + "' points to '" + target + "'; only relative targets inside the workspace are allowed");
    }
}
