package dev.seedloop.artifacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

/**
 * What changed between two trees: as a list of files ({@link #changes}) and as a unified diff ({@link #unified}) in
 * {@code git diff} form that {@link Patches} applies back (for text files): {@code diff --git a/p b/p}, mode lines
 * for new, deleted or re-moded files, {@code ---}/{@code +++} headers ({@code /dev/null} for a missing side) and
 * hunks with 3 lines of context. Binary files and files over 4 MiB are reported as {@code Binary files ... differ}.
 */
public final class TreeDiff {

    /** How a path differs. */
    public enum Type {
        ADDED,
        DELETED,
        MODIFIED
    }

    /** One path that differs; {@code from} is empty when added, {@code to} when deleted. */
    public record FileChange(TreePath path, Type type, Optional<TreeEntry> from, Optional<TreeEntry> to) {
    }

    private static final int CONTEXT_LINES = 3;

    private final ArtifactStore store;

    public TreeDiff(ArtifactStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The paths whose content or mode differ, in path order. */
    public static List<FileChange> changes(Tree from, Tree to) {
        TreeSet<TreePath> paths = new TreeSet<>();
        from.entries().forEach(entry -> paths.add(entry.path()));
        to.entries().forEach(entry -> paths.add(entry.path()));
        List<FileChange> changes = new ArrayList<>();
        for (TreePath path : paths) {
            Optional<TreeEntry> before = from.entry(path);
            Optional<TreeEntry> after = to.entry(path);
            if (before.isEmpty()) {
                changes.add(new FileChange(path, Type.ADDED, before, after));
            } else if (after.isEmpty()) {
                changes.add(new FileChange(path, Type.DELETED, before, after));
            } else if (!before.get().blob().equals(after.get().blob()) || before.get().kind() != after.get().kind()) {
                changes.add(new FileChange(path, Type.MODIFIED, before, after));
            }
        }
        return changes;
    }

    /** The unified diff turning {@code from} into {@code to}; empty when they are the same tree. */
    public String unified(Tree from, Tree to) {
        StringBuilder out = new StringBuilder();
        for (FileChange change : changes(from, to)) {
            String path = change.path().value();
            out.append("diff --git a/").append(path).append(" b/").append(path).append('\n');
            change.from().ifPresent(before -> change.to().ifPresent(after -> {
                if (before.kind() != after.kind()) {
                    out.append("old mode ").append(before.kind().mode()).append('\n');
                    out.append("new mode ").append(after.kind().mode()).append('\n');
                }
            }));
            if (change.type() == Type.ADDED) {
                out.append("new file mode ").append(change.to().get().kind().mode()).append('\n');
            } else if (change.type() == Type.DELETED) {
                out.append("deleted file mode ").append(change.from().get().kind().mode()).append('\n');
            }
            if (change.from().isPresent() && change.to().isPresent()
                    && change.from().get().blob().equals(change.to().get().blob())) {
                continue;
            }
            Optional<TextBlobs.Text> before = change.from().map(entry -> TextBlobs.read(store, entry))
                    .orElse(Optional.of(new TextBlobs.Text(List.of(), true)));
            Optional<TextBlobs.Text> after = change.to().map(entry -> TextBlobs.read(store, entry))
                    .orElse(Optional.of(new TextBlobs.Text(List.of(), true)));
            String fromName = change.from().isPresent() ? "a/" + path : "/dev/null";
            String toName = change.to().isPresent() ? "b/" + path : "/dev/null";
            if (before.isEmpty() || after.isEmpty()) {
                out.append("Binary files ").append(fromName).append(" and ").append(toName).append(" differ\n");
                continue;
            }
            Patch<String> patch = DiffUtils.diff(before.get().lines(), after.get().lines());
            List<String> lines = UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, before.get().lines(), patch,
                    CONTEXT_LINES);
            boolean reachesEnd;
            if (patch.getDeltas().isEmpty()) {
                // Same lines, only the final newline differs: a full rewrite says so unambiguously.
                lines = fullRewrite(fromName, toName, before.get(), after.get());
                reachesEnd = true;
            } else {
                var last = patch.getDeltas().get(patch.getDeltas().size() - 1).getSource();
                reachesEnd = last.getPosition() + last.size() + CONTEXT_LINES >= before.get().lines().size();
            }
            lines.forEach(line -> out.append(line).append('\n'));
            if (reachesEnd && change.to().isPresent() && !after.get().lines().isEmpty()
                    && !after.get().finalNewline()) {
                out.append("\\ No newline at end of file\n");
            }
        }
        return out.toString();
    }

    private static List<String> fullRewrite(String fromName, String toName, TextBlobs.Text before,
            TextBlobs.Text after) {
        List<String> lines = new ArrayList<>();
        lines.add("--- " + fromName);
        lines.add("+++ " + toName);
        lines.add("@@ -1," + before.lines().size() + " +1," + after.lines().size() + " @@");
        before.lines().forEach(line -> lines.add("-" + line));
        after.lines().forEach(line -> lines.add("+" + line));
        return lines;
    }
}
