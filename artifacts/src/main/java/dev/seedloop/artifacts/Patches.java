package dev.seedloop.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;
import com.github.difflib.patch.PatchFailedException;
import com.github.difflib.patch.VerifyChunk;
import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/**
 * Applies a proposal's {@link Change change set} to its parent tree and gives the child tree (its new blobs stored,
 * the tree itself too). Changes apply in order, each to the result of the ones before. Every path is normalised
 * ({@link TreePath}) and checked against the {@link ProtectedPaths} before anything is applied; a change touching
 * a protected path is refused with that path ({@link Reason#PROTECTED_PATH}), a hunk that does not match exactly
 * with its file and number ({@link Reason#PATCH_DOES_NOT_APPLY}). Symbolic links can be deleted or replaced, never
 * patched; diffs apply to UTF-8 text files of at most 4 MiB.
 */
public final class Patches {

    private static final String DEV_NULL = "/dev/null";

    private final ArtifactStore store;
    private final ProtectedPaths protectedPaths;

    public Patches(ArtifactStore store, ProtectedPaths protectedPaths) {
        this.store = Objects.requireNonNull(store, "store");
        this.protectedPaths = Objects.requireNonNull(protectedPaths, "protectedPaths");
    }

    public Tree apply(Tree parent, List<Change> changes) {
        Map<TreePath, TreeEntry> files = new HashMap<>();
        parent.entries().forEach(entry -> files.put(entry.path(), entry));
        for (Change change : changes) {
            switch (change) {
                case Change.Write write -> {
                    TreePath path = protectedPaths.requireWritable(write.path());
                    TreeEntry.Kind kind = write.executable() == null
                            ? Optional.ofNullable(files.get(path)).map(TreeEntry::kind)
                                    .filter(k -> k != TreeEntry.Kind.SYMLINK).orElse(TreeEntry.Kind.FILE)
                            : write.executable() ? TreeEntry.Kind.EXECUTABLE : TreeEntry.Kind.FILE;
                    BlobRef blob = store.putBlob(write.content());
                    files.put(path, new TreeEntry(path, kind, blob.hash(), blob.size()));
                }
                case Change.Delete delete -> {
                    TreePath path = protectedPaths.requireWritable(delete.path());
                    if (files.remove(path) == null) {
                        throw new ArtifactRejectedException(Reason.INVALID_PATCH, delete.path(),
                                "cannot delete '" + delete.path() + "': the parent tree has no such file");
                    }
                }
                case Change.Diff diff -> applyDiff(files, diff.unifiedDiff());
            }
        }
        Tree child = Tree.of(files.values());
        store.putTree(child);
        return child;
    }

    private void applyDiff(Map<TreePath, TreeEntry> files, String unifiedDiff) {
        UnifiedDiff parsed;
        try {
            parsed = UnifiedDiffReader.parseUnifiedDiff(
                    new ByteArrayInputStream(unifiedDiff.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            throw new ArtifactRejectedException(Reason.INVALID_PATCH, null,
                    "the unified diff cannot be parsed: " + e.getMessage(), e);
        }
        if (parsed.getFiles().isEmpty()) {
            throw new ArtifactRejectedException(Reason.INVALID_PATCH, null, "the unified diff names no file");
        }
        // Every path of the diff is checked before any of its files changes.
        for (UnifiedDiffFile file : parsed.getFiles()) {
            for (String raw : new String[] {file.getFromFile(), file.getToFile()}) {
                if (raw != null && !raw.equals(DEV_NULL)) {
                    protectedPaths.requireWritable(raw);
                }
            }
        }
        for (UnifiedDiffFile file : parsed.getFiles()) {
            applyFile(files, file);
        }
    }

    private void applyFile(Map<TreePath, TreeEntry> files, UnifiedDiffFile file) {
        String fromRaw = file.getFromFile();
        String toRaw = file.getToFile();
        boolean created = fromRaw == null || fromRaw.equals(DEV_NULL);
        boolean deleted = toRaw == null || toRaw.equals(DEV_NULL);
        if (created && deleted) {
            throw new ArtifactRejectedException(Reason.INVALID_PATCH, null, "a file of the diff has no name");
        }
        String shown = deleted ? fromRaw : toRaw;
        TextBlobs.Text old;
        TreeEntry.Kind kind = TreeEntry.Kind.FILE;
        if (created) {
            TreePath to = TreePath.of(toRaw);
            if (files.containsKey(to)) {
                throw new ArtifactRejectedException(Reason.PATCH_DOES_NOT_APPLY, toRaw,
                        "the diff creates '" + toRaw + "', which the parent tree already has");
            }
            old = new TextBlobs.Text(List.of(), true);
        } else {
            TreePath from = TreePath.of(fromRaw);
            TreeEntry entry = files.get(from);
            if (entry == null) {
                throw new ArtifactRejectedException(Reason.PATCH_DOES_NOT_APPLY, fromRaw,
                        "the diff changes '" + fromRaw + "', which the parent tree does not have");
            }
            if (entry.kind() == TreeEntry.Kind.SYMLINK) {
                throw new ArtifactRejectedException(Reason.INVALID_PATCH, fromRaw,
                        "'" + fromRaw + "' is a symbolic link; replace or delete it instead of diffing it");
            }
            kind = entry.kind();
            old = TextBlobs.read(store, entry).orElseThrow(() -> new ArtifactRejectedException(Reason.INVALID_PATCH,
                    fromRaw, "'" + fromRaw + "' is binary or larger than " + TextBlobs.MAX_TEXT_BYTES
                            + " bytes; send it as a whole file"));
        }
        Patch<String> patch = file.getPatch();
        List<AbstractDelta<String>> deltas = patch.getDeltas();
        for (int i = 0; i < deltas.size(); i++) {
            AbstractDelta<String> delta = deltas.get(i);
            VerifyChunk verdict;
            try {
                verdict = delta.getSource().verifyChunk(old.lines());
            } catch (PatchFailedException e) {
                verdict = VerifyChunk.CONTENT_DOES_NOT_MATCH_TARGET;
            }
            if (verdict != VerifyChunk.OK) {
                throw new ArtifactRejectedException(Reason.PATCH_DOES_NOT_APPLY, shown, "hunk " + (i + 1) + " ("
                        + describe(delta) + ") of '" + shown + "' does not apply: "
                        + (verdict == VerifyChunk.POSITION_OUT_OF_TARGET ? "the file is shorter"
                                : "its lines differ from the file's"));
            }
        }
        List<String> lines;
        try {
            lines = patch.applyTo(old.lines());
        } catch (PatchFailedException | RuntimeException e) {
            throw new ArtifactRejectedException(Reason.PATCH_DOES_NOT_APPLY, shown,
                    "the diff of '" + shown + "' does not apply: " + e.getMessage(), e);
        }
        if (!created) {
            files.remove(TreePath.of(fromRaw));
        }
        if (deleted) {
            if (!lines.isEmpty()) {
                throw new ArtifactRejectedException(Reason.PATCH_DOES_NOT_APPLY, fromRaw,
                        "the diff deletes '" + fromRaw + "' but does not remove all of its lines");
            }
            return;
        }
        if ("100755".equals(file.getNewFileMode())) {
            kind = TreeEntry.Kind.EXECUTABLE;
        }
        // The marker speaks of the end of the file; a diff that does not reach the end leaves it as it was.
        boolean reachesEnd = created || deltas.isEmpty() || old.lines().isEmpty()
                || deltas.get(deltas.size() - 1).getSource().getPosition()
                        + deltas.get(deltas.size() - 1).getSource().size() >= old.lines().size();
        boolean finalNewline = reachesEnd ? !file.isNoNewLineAtTheEndOfTheFile() : old.finalNewline();
        String text = new TextBlobs.Text(lines, finalNewline).join(finalNewline);
        TreePath to = TreePath.of(toRaw);
        BlobRef blob = store.putText(text);
        files.put(to, new TreeEntry(to, kind, blob.hash(), blob.size()));
    }

    private static String describe(AbstractDelta<String> delta) {
        return "@@ -" + (delta.getSource().getPosition() + 1) + "," + delta.getSource().size() + " +"
                + (delta.getTarget().getPosition() + 1) + "," + delta.getTarget().size() + " @@";
    }
}
