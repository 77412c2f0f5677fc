package dev.seedloop.proposer.domain.llm;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.seedloop.events.FilePatch;
import dev.seedloop.events.LlmOptions;

/**
 * PLACEHOLDER (wp-llm-strategy): the minimal shape of wp-llm-answers' {@code EditableRegions}, so the strategy compiles
 * before the branches are merged. The lead keeps wp-llm-answers' version. Here: the files an answer may change, those
 * listed whole in the options and those with an {@code EVOLVE-BLOCK-START} marker, never a protected one.
 */
public record EditableRegions(List<String> wholeFiles, List<String> markedFiles) {

    public static final String START = "EVOLVE-BLOCK-START";
    public static final String END = "EVOLVE-BLOCK-END";

    public static EditableRegions find(Map<String, String> files, LlmOptions options, List<String> protectedPaths) {
        TreeSet<String> whole = new TreeSet<>();
        TreeSet<String> marked = new TreeSet<>();
        files.forEach((path, text) -> {
            FilePatch probe = new FilePatch(path, "");
            if (protectedPaths.stream().anyMatch(probe::touches)) {
                return;
            }
            if (options.editableFiles().contains(path)) {
                whole.add(path);
            } else if (text.contains(START)) {
                marked.add(path);
            }
        });
        return new EditableRegions(List.copyOf(whole), List.copyOf(marked));
    }

    public boolean editable(String path) {
        return wholeFiles.contains(path) || markedFiles.contains(path);
    }
}
