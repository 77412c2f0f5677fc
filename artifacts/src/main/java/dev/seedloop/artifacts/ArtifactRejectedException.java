package dev.seedloop.artifacts;

import java.util.Locale;
import java.util.Optional;

/**
 * An input this module refuses: a path, an archive, a tree, a patch or a directory. It carries a stable
 * {@link Reason} (its {@link Reason#code() code} is meant for API clients and problem+json documents), the path
 * concerned when there is one, and a message for people.
 */
public final class ArtifactRejectedException extends RuntimeException {

    /** Why an input was refused. The codes are stable: clients and tests may rely on them. */
    public enum Reason {
        /** A path that is empty (or only {@code .} and slashes). */
        EMPTY_PATH,
        /** A path starting with {@code /} or a drive letter. */
        ABSOLUTE_PATH,
        /** A path with a {@code ..} segment. */
        PARENT_SEGMENT,
        /** A path with a backslash (a separator on some systems, never a file name character here). */
        BACKSLASH,
        /** A path with NUL or another control character. */
        CONTROL_CHARACTER,
        /** A path or one of its segments longer than {@link TreePath#MAX_PATH_BYTES} / {@link TreePath#MAX_SEGMENT_BYTES}. */
        PATH_TOO_LONG,
        /** The same path twice, also after normalisation or case-folding. */
        DUPLICATE_ENTRY,
        /** A path that is a file in one entry and a directory of another ({@code a} and {@code a/b}). */
        PATH_CONFLICT,
        /** A symbolic link that is absolute or leaves the tree. */
        SYMLINK_ESCAPES,
        /** A hard link entry of an archive. */
        HARD_LINK,
        /** A character or block device. */
        DEVICE,
        /** A named pipe. */
        FIFO,
        /** Any other kind of entry (socket, sparse file, encrypted zip entry, ...). */
        UNSUPPORTED_ENTRY,
        /** Total bytes, file count or single-file bytes over the caller's {@link ArchiveLimits}. */
        LIMIT_EXCEEDED,
        /** Decompressed bytes more than {@link ArchiveLimits#maxCompressionRatio()} times the compressed ones. */
        COMPRESSION_RATIO,
        /** An archive that cannot be read: truncated, corrupt, or of an unknown format. */
        MALFORMED_ARCHIVE,
        /** A tree naming a blob the store does not have. */
        MISSING_BLOB,
        /** A patch writing or deleting a protected path. */
        PROTECTED_PATH,
        /** A patch that does not apply to its parent tree (the message names the file and hunk). */
        PATCH_DOES_NOT_APPLY,
        /** A malformed change: an unparseable diff, a diff of a binary file, a delete of a missing file. */
        INVALID_PATCH;

        /** The stable code, e.g. {@code "symlink-escapes"}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;
    private final String path;

    public ArtifactRejectedException(Reason reason, String path, String message) {
        super(message);
        this.reason = reason;
        this.path = path;
    }

    public ArtifactRejectedException(Reason reason, String path, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.path = path;
    }

    public Reason reason() {
        return reason;
    }

    /** The path concerned, as given (before normalisation) or as normalised, when the refusal is about one. */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }
}
