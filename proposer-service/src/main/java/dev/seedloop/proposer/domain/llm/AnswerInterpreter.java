package dev.seedloop.proposer.domain.llm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;

import dev.seedloop.events.FilePatch;

/**
 * PLACEHOLDER (wp-llm-strategy): wp-llm-answers' {@code AnswerInterpreter} in the shape the strategy codes against;
 * the lead keeps wp-llm-answers' version. Here: exact SEARCH/REPLACE blocks only, each preceded by its file's path on a
 * line of its own, in editable files only, markers kept.
 */
public final class AnswerInterpreter {

    private static final Pattern BLOCK = Pattern.compile(
            "(?m)^([^\\n<>=]+)\\n<<<<<<< SEARCH\\n(.*?)\\n?=======\\n(.*?)\\n?>>>>>>> REPLACE", Pattern.DOTALL);

    private AnswerInterpreter() {
    }

    public static AnswerVerdict interpret(String answer, Map<String, String> parentFiles, EditableRegions regions,
            boolean fullFileRewrites, List<String> protectedPaths) {
        Map<String, String> changed = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(answer);
        int blocks = 0;
        while (m.find()) {
            blocks++;
            String path = m.group(1).strip();
            if (protectedPaths.stream().anyMatch(p -> new FilePatch(path, "").touches(p))) {
                return new AnswerVerdict.Refused("the answer edits a protected path", List.of(path));
            }
            if (!regions.editable(path)) {
                return new AnswerVerdict.Refused("the answer edits outside the editable regions", List.of(path));
            }
            String text = changed.getOrDefault(path, parentFiles.get(path));
            String search = m.group(2);
            int at = text.indexOf(search);
            if (search.isEmpty() || at < 0) {
                return new AnswerVerdict.Refused("a SEARCH block matches nothing", List.of(path));
            }
            changed.put(path, text.substring(0, at) + m.group(3) + text.substring(at + search.length()));
        }
        if (blocks == 0) {
            return new AnswerVerdict.Refused("the answer has no SEARCH/REPLACE block", List.of());
        }
        List<FilePatch> patches = new ArrayList<>();
        for (Map.Entry<String, String> file : changed.entrySet()) {
            String before = parentFiles.get(file.getKey());
            if (before.contains(EditableRegions.START) && (!file.getValue().contains(EditableRegions.START)
                    || !file.getValue().contains(EditableRegions.END))) {
                return new AnswerVerdict.Refused("the edit removes EVOLVE-BLOCK markers", List.of(file.getKey()));
            }
            List<String> from = lines(before);
            List<String> to = lines(file.getValue());
            List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("a/" + file.getKey(), "b/" + file.getKey(), from,
                    DiffUtils.diff(from, to), 3);
            if (!diff.isEmpty()) {
                patches.add(FilePatch.diff(file.getKey(), String.join("\n", diff) + "\n"));
            }
        }
        return new AnswerVerdict.Edited(changed, patches, blocks);
    }

    private static List<String> lines(String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return body.isEmpty() ? List.of() : List.of(body.split("\n", -1));
    }
}
