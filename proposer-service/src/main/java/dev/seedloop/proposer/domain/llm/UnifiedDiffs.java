package dev.seedloop.proposer.domain.llm;

import java.util.ArrayList;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Chunk;
import com.github.difflib.patch.Patch;

import dev.seedloop.events.FilePatch;

/**
 * Unified diffs of one text file in the {@code git diff} form the artifact store's {@code Patches} applies (the form
 * its {@code TreeDiff} writes): {@code diff --git a/p b/p}, {@code new file mode 100644} for a created file,
 * {@code ---}/{@code +++} headers ({@code /dev/null} for a missing side), hunks with {@value #CONTEXT_LINES} lines
 * of context, and {@code \ No newline at end of file} when the new content's last line has none.
 *
 * <p>{@code Patches} keeps the parent's final newline unless the last hunk reaches the end of the file, so when only
 * the final newline changes, or it changes away from the last hunk, the diff rewrites the whole file: the only form in
 * which that change is not lost.
 */
public final class UnifiedDiffs {

    static final int CONTEXT_LINES = 3;
    private static final String DEV_NULL = "/dev/null";

    private UnifiedDiffs() {
    }

    /**
     * The diff turning {@code before} into {@code after} at {@code path}.
     *
     * @param before the parent's content, or null when the file is new
     * @param after  the new content (never null: deletions are not an edit a model makes here)
     * @return the diff, empty when the contents are equal
     */
    public static String diff(String path, String before, String after) {
        if (after.equals(before)) {
            return "";
        }
        boolean created = before == null;
        Lines from = created ? Lines.of("") : Lines.of(before);
        Lines to = Lines.of(after);
        String fromName = created ? DEV_NULL : "a/" + path;
        String toName = "b/" + path;
        StringBuilder out = new StringBuilder();
        out.append("diff --git a/").append(path).append(" b/").append(path).append('\n');
        if (created) {
            out.append("new file mode 100644\n");
        }
        if (created && to.lines().isEmpty()) {
            // An empty new file has no hunk; the header alone creates it.
            out.append("--- ").append(DEV_NULL).append('\n').append("+++ ").append(toName).append('\n');
            return out.toString();
        }
        Patch<String> patch = DiffUtils.diff(from.lines(), to.lines());
        List<String> lines;
        boolean reachesEnd;
        if (patch.getDeltas().isEmpty()) {
            lines = rewrite(fromName, toName, from, to);
            reachesEnd = true;
        } else {
            lines = UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, from.lines(), patch, CONTEXT_LINES);
            AbstractDelta<String> last = patch.getDeltas().get(patch.getDeltas().size() - 1);
            Chunk<String> source = last.getSource();
            reachesEnd = source.getPosition() + source.size() + CONTEXT_LINES >= from.size();
            if (!reachesEnd && from.finalNewline() != to.finalNewline()) {
                lines = rewrite(fromName, toName, from, to);
                reachesEnd = true;
            }
        }
        lines.forEach(line -> out.append(line).append('\n'));
        if (reachesEnd && !to.lines().isEmpty() && !to.finalNewline()) {
            out.append("\\ No newline at end of file\n");
        }
        return out.toString();
    }

    /**
     * The patch of one changed file: its {@link #diff}, or its whole content when either side holds a carriage
     * return. A unified diff cannot carry those: the diff reader {@code Patches} uses splits lines at {@code \r} as
     * well as {@code \n}, so a hunk of a file with Windows line endings would never match it.
     */
    public static FilePatch patch(String path, String before, String after) {
        if (after.indexOf('\r') >= 0 || (before != null && before.indexOf('\r') >= 0)) {
            return new FilePatch(path, after);
        }
        return FilePatch.diff(path, diff(path, before, after));
    }

    private static List<String> rewrite(String fromName, String toName, Lines before, Lines after) {
        List<String> lines = new ArrayList<>();
        lines.add("--- " + fromName);
        lines.add("+++ " + toName);
        lines.add("@@ -" + (before.size() == 0 ? 0 : 1) + "," + before.size() + " +" + (after.size() == 0 ? 0 : 1)
                + "," + after.size() + " @@");
        before.lines().forEach(line -> lines.add("-" + line));
        after.lines().forEach(line -> lines.add("+" + line));
        return lines;
    }
}
