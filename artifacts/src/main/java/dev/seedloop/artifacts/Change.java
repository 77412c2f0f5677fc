package dev.seedloop.artifacts;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import dev.seedloop.events.FilePatch;

/**
 * One part of a proposal's change set, applied to a parent tree by {@link Patches}: a whole file written, a file
 * deleted, or a unified diff (of one or several files). Paths are as the proposal gives them; {@link Patches}
 * normalises and checks them.
 */
public sealed interface Change {

    /**
     * Writes a whole file (creating it, or replacing a file or link at that path).
     *
     * @param executable the file's mode; null keeps the mode of the file it replaces ({@code FILE} when new)
     */
    record Write(String path, byte[] content, Boolean executable) implements Change {
        public Write {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(content, "content");
        }
    }

    /** Deletes a file or link that the parent tree has. */
    record Delete(String path) implements Change {
        public Delete {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A unified diff, as {@code diff -u} or {@code git diff} writes it: {@code ---}/{@code +++} headers (an {@code a/}
     * and {@code b/} prefix is dropped; {@code /dev/null} creates or deletes a file), hunks applied exactly, without
     * fuzz. A {@code \ No newline at end of file} marker leaves the result without a final newline; otherwise the
     * result ends with one if the old file did (or the file is new).
     */
    record Diff(String unifiedDiff) implements Change {
        public Diff {
            Objects.requireNonNull(unifiedDiff, "unifiedDiff");
        }
    }

    static Change write(String path, String utf8) {
        return new Write(path, utf8.getBytes(StandardCharsets.UTF_8), null);
    }

    static Change delete(String path) {
        return new Delete(path);
    }

    static Change diff(String unifiedDiff) {
        return new Diff(unifiedDiff);
    }

    /**
     * The changes a proposal carries (ProposalCreated v2): whole files in UTF-8, unified diffs, or deletions. A diff's
     * own headers name the files it changes; {@link Patches} checks those paths like any other.
     */
    static List<Change> of(List<FilePatch> patches) {
        return patches.stream()
                .map(patch -> patch.diff() != null ? diff(patch.diff())
                        : patch.deletes() ? delete(patch.path()) : write(patch.path(), patch.content()))
                .toList();
    }
}
