package dev.seedloop.proposer.domain.llm;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;

/**
 * How alike two candidates' code is, so a candidate too close to a sibling (another child of the same request or
 * parent) is not run: the same program twice teaches nothing and costs an evaluation. Identity by tree hash is the
 * application's check (it has the artifact store); this is the similarity behind the {@code novelty-threshold}
 * option.
 *
 * <p>{@link #similarity} is a line-based ratio, the one Python's {@code difflib.SequenceMatcher.ratio} computes on
 * lines: over the union of the paths, {@code 2·M / (|A| + |B|)}, where |A| and |B| count the lines of each side and
 * M the lines of a longest common subsequence, path by path. Lines are compared without trailing whitespace, and
 * blank lines are left out, so reflowing blank lines or trailing spaces does not make code new. A path on one side
 * only counts all its lines as different. Properties: in [0, 1]; 1 exactly when every path holds the same
 * non-blank lines in the same order; symmetric; 1 for two empty sides.
 */
public final class Novelty {

    /**
     * The check of one candidate: {@code novel} unless a sibling is at least {@code threshold} similar;
     * {@code closestSibling} is the index of the most similar sibling (-1 when there is none), {@code similarity} its
     * similarity (0 without siblings) and {@code reason} a sentence for the record.
     */
    public record Verdict(boolean novel, int closestSibling, double similarity, double threshold, String reason) {
    }

    private Novelty() {
    }

    /** The line-based similarity of two sets of files (path → content), in [0, 1]; 1 = the same code. */
    public static double similarity(Map<String, String> a, Map<String, String> b) {
        TreeSet<String> paths = new TreeSet<>(a.keySet());
        paths.addAll(b.keySet());
        long total = 0;
        long common = 0;
        for (String path : paths) {
            List<String> left = meaningfulLines(a.get(path));
            List<String> right = meaningfulLines(b.get(path));
            total += left.size() + right.size();
            common += commonLines(left, right);
        }
        return total == 0 ? 1.0 : 2.0 * common / total;
    }

    /**
     * Compares a candidate with the siblings already accepted, each given as the same paths' contents.
     *
     * @param threshold a candidate at least this similar to a sibling is not novel (1: only identical code is refused)
     */
    public static Verdict check(Map<String, String> candidate, List<Map<String, String>> siblings, double threshold) {
        return check(Map.of(), candidate, siblings, threshold);
    }

    /**
     * {@link #check(Map, List, double)} for candidates given only by the files they changed: for each comparison,
     * both sides are completed with the {@code parent}'s content of the paths only the other side changed, so two
     * children that changed different files of one parent compare as the whole programs they are.
     */
    public static Verdict check(Map<String, String> parent, Map<String, String> candidate,
            List<Map<String, String>> siblings, double threshold) {
        if (threshold < 0 || threshold > 1 || Double.isNaN(threshold)) {
            throw new IllegalArgumentException("a novelty threshold lies in [0, 1] but was " + threshold);
        }
        int closest = -1;
        double best = 0;
        for (int i = 0; i < siblings.size(); i++) {
            Map<String, String> sibling = siblings.get(i);
            double similarity = similarity(complete(parent, candidate, sibling), complete(parent, sibling, candidate));
            if (closest < 0 || similarity > best) {
                closest = i;
                best = similarity;
            }
        }
        if (closest < 0) {
            return new Verdict(true, -1, 0, threshold, "no sibling to compare with");
        }
        String percent = String.format(Locale.ROOT, "%.1f%%", best * 100);
        String limit = String.format(Locale.ROOT, "%.1f%%", threshold * 100);
        if (best >= threshold) {
            return new Verdict(false, closest, best, threshold, (best == 1.0 ? "the same code as sibling " + closest
                    : percent + " of its lines are shared with sibling " + closest) + " (threshold " + limit
                    + "): not run");
        }
        return new Verdict(true, closest, best, threshold, "the closest sibling, " + closest + ", shares " + percent
                + " of its lines, below the threshold " + limit);
    }

    private static Map<String, String> complete(Map<String, String> parent, Map<String, String> side,
            Map<String, String> other) {
        Map<String, String> files = new TreeMap<>(side);
        other.keySet().forEach(path -> {
            if (!files.containsKey(path) && parent.containsKey(path)) {
                files.put(path, parent.get(path));
            }
        });
        return files;
    }

    private static List<String> meaningfulLines(String content) {
        if (content == null) {
            return List.of();
        }
        return Lines.of(content).lines().stream().map(String::stripTrailing).filter(line -> !line.isEmpty()).toList();
    }

    private static long commonLines(List<String> left, List<String> right) {
        if (left.isEmpty() || right.isEmpty()) {
            return 0;
        }
        long removed = 0;
        for (AbstractDelta<String> delta : DiffUtils.diff(left, right).getDeltas()) {
            removed += delta.getSource().size();
        }
        return left.size() - removed;
    }
}
