package dev.seedloop.proposer.domain.llm;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * PLACEHOLDER (wp-llm-strategy): wp-llm-answers' {@code Novelty} in the shape the strategy codes against; the lead
 * keeps wp-llm-answers' version. Here: the Jaccard similarity of the two programs' sets of (path, line).
 */
public final class Novelty {

    private Novelty() {
    }

    /** 1 for the same files, 0 for nothing in common. */
    public static double similarity(Map<String, String> candidateFiles, Map<String, String> siblingFiles) {
        Set<String> a = lines(candidateFiles);
        Set<String> b = lines(siblingFiles);
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        return (double) common.size() / (a.size() + b.size() - common.size());
    }

    private static Set<String> lines(Map<String, String> files) {
        Set<String> lines = new TreeSet<>();
        files.forEach((path, text) -> {
            int n = 0;
            for (String line : text.split("\n", -1)) {
                lines.add(path + "\0" + (n++) + "\0" + line);
            }
        });
        return lines;
    }
}
