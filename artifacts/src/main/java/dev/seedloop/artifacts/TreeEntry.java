package dev.seedloop.artifacts;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One file of a tree: its normalised path, its kind, the hash of its content ({@code "sha256:" + 64 lower-case hex})
 * and its size in bytes. A symbolic link's content is its target text (UTF-8), so its blob and size are those of
 * the target; the target is checked to stay inside the tree ({@link SymlinkTargets}) where the text is known.
 * Directories are not entries: they exist because files lie in them, so a tree has no empty directories.
 */
public record TreeEntry(TreePath path, Kind kind, String blob, long size) {

    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    /** What an entry is; {@link #mode()} is its mode in the tree hash encoding (git's file modes). */
    public enum Kind {
        FILE("100644"),
        EXECUTABLE("100755"),
        SYMLINK("120000");

        private final String mode;

        Kind(String mode) {
            this.mode = mode;
        }

        public String mode() {
            return mode;
        }

        public static Kind ofMode(String mode) {
            for (Kind kind : values()) {
                if (kind.mode.equals(mode)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown entry mode " + mode);
        }
    }

    public TreeEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        if (blob == null || !SHA256.matcher(blob).matches()) {
            throw new IllegalArgumentException("blob must be sha256:<64 lower-case hex>, but was " + blob);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
    }

    public static boolean isBlobHash(String hash) {
        return hash != null && SHA256.matcher(hash).matches();
    }
}
