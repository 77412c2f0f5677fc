package dev.seedloop.proposer.domain.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the edit blocks of a model's answer, without judging them: {@link SearchReplace} blocks in the form the
 * aider / OpenEvolve family uses and, when the answer uses them, {@link WholeFile} rewrites (the formats are
 * described in proposer-service/README.md, "Answer formats"). Prose around the blocks is ignored, and so are
 * Markdown fences outside a block; inside a block every line is taken as written, fences included, so a file that
 * itself holds fences can be edited.
 */
final class AnswerBlocks {

    /** One edit block; {@code path} as the model wrote it (not normalised yet), {@code line} 1-based in the answer. */
    sealed interface Block {
        String path();

        int line();
    }

    /** Replace the lines {@code search} of {@code path} by {@code replace}. */
    record SearchReplace(String path, int line, List<String> search, List<String> replace) implements Block {
    }

    /** Replace the whole content of {@code path} by {@code content} (which ends with a newline). */
    record WholeFile(String path, int line, List<String> content) implements Block {
    }

    /** The blocks read, or the first malformed one ({@code problem}, with its answer line). */
    record Parsed(List<Block> blocks, String problem, int problemLine) {

        boolean malformed() {
            return problem != null;
        }
    }

    private static final Pattern SEARCH = Pattern.compile("^\\s*<{5,9}\\s*SEARCH\\s*$");
    private static final Pattern DIVIDER = Pattern.compile("^\\s*={5,9}\\s*$");
    private static final Pattern REPLACE = Pattern.compile("^\\s*>{5,9}\\s*REPLACE\\s*$");
    private static final Pattern FILE = Pattern.compile("^\\s*(?:\\*\\*)?FILE:\\s*(.*?)\\s*(?:\\*\\*)?\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})\\s*[\\w.+#-]*\\s*$");
    private static final Pattern PATH_LABEL = Pattern.compile("^(?:#+\\s*|[-*]\\s+)?(?:(?:file|path)\\s*:\\s*)?",
            Pattern.CASE_INSENSITIVE);

    private AnswerBlocks() {
    }

    /**
     * @param answer      the answer, '\n'-separated
     * @param defaultPath the path of a first block that names none (the only editable file), or null
     */
    static Parsed parse(String answer, String defaultPath) {
        String[] lines = answer.split("\n", -1);
        List<Block> blocks = new ArrayList<>();
        String lastPath = defaultPath;
        String pending = null;
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            if (SEARCH.matcher(line).matches()) {
                String path = pathOf(pending);
                path = path != null ? path : lastPath;
                if (path == null) {
                    return malformed(blocks, "the SEARCH block on answer line " + (i + 1) + " names no file: put the "
                            + "file's path alone on the line before <<<<<<< SEARCH", i + 1);
                }
                int start = i;
                List<String> search = new ArrayList<>();
                i++;
                while (i < lines.length && !DIVIDER.matcher(lines[i]).matches()) {
                    if (SEARCH.matcher(lines[i]).matches() || REPLACE.matcher(lines[i]).matches()) {
                        break;
                    }
                    search.add(lines[i]);
                    i++;
                }
                if (i >= lines.length || !DIVIDER.matcher(lines[i]).matches()) {
                    return malformed(blocks, "the SEARCH block for " + path + " on answer line " + (start + 1)
                            + " has no ======= line between the lines to find and their replacement", start + 1);
                }
                List<String> replace = new ArrayList<>();
                i++;
                while (i < lines.length && !REPLACE.matcher(lines[i]).matches()) {
                    if (SEARCH.matcher(lines[i]).matches()) {
                        break;
                    }
                    replace.add(lines[i]);
                    i++;
                }
                if (i >= lines.length || !REPLACE.matcher(lines[i]).matches()) {
                    return malformed(blocks, "the SEARCH block for " + path + " on answer line " + (start + 1)
                            + " is not terminated by >>>>>>> REPLACE", start + 1);
                }
                blocks.add(new SearchReplace(path, start + 1, search, replace));
                lastPath = path;
                pending = null;
                i++;
                continue;
            }
            if (DIVIDER.matcher(line).matches() || REPLACE.matcher(line).matches()) {
                return malformed(blocks, "answer line " + (i + 1) + " ('" + line.strip() + "') belongs to no "
                        + "<<<<<<< SEARCH block", i + 1);
            }
            Matcher file = FILE.matcher(line);
            if (file.matches() && labelsASearchBlock(lines, i + 1)) {
                pending = line;
                i++;
                continue;
            }
            if (file.matches()) {
                String path = file.group(1);
                int start = i;
                i++;
                while (i < lines.length && lines[i].isBlank()) {
                    i++;
                }
                Matcher fence = i < lines.length ? FENCE.matcher(lines[i]) : null;
                if (path.isBlank() || fence == null || !fence.matches()) {
                    return malformed(blocks, "FILE: on answer line " + (start + 1) + " must name a path and be "
                            + "followed by the file's whole content in one fenced block (```)", start + 1);
                }
                String opener = fence.group(1);
                List<String> content = new ArrayList<>();
                i++;
                while (i < lines.length && !closes(lines[i], opener)) {
                    content.add(lines[i]);
                    i++;
                }
                if (i >= lines.length) {
                    return malformed(blocks, "the fenced block of FILE: " + path + " on answer line " + (start + 1)
                            + " is never closed by " + opener, start + 1);
                }
                blocks.add(new WholeFile(path, start + 1, content));
                lastPath = path;
                pending = null;
                i++;
                continue;
            }
            if (!line.isBlank() && !FENCE.matcher(line).matches()) {
                pending = line;
            }
            i++;
        }
        return new Parsed(blocks, null, 0);
    }

    /**
     * Whether the lines from {@code from} on (blank lines and at most one fence skipped) open a SEARCH block: then a
     * {@code FILE: path} line before them only names the block's file, as {@code File: path} often does.
     */
    private static boolean labelsASearchBlock(String[] lines, int from) {
        int i = from;
        boolean fenceSeen = false;
        while (i < lines.length) {
            if (lines[i].isBlank()) {
                i++;
            } else if (!fenceSeen && FENCE.matcher(lines[i]).matches()) {
                fenceSeen = true;
                i++;
            } else {
                return SEARCH.matcher(lines[i]).matches();
            }
        }
        return false;
    }

    /** Whether the answer looks like it tried the SEARCH/REPLACE form (for a clearer "no block" reason). */
    static boolean mentionsMarkers(String answer) {
        String upper = answer.toUpperCase(Locale.ROOT);
        return upper.contains("SEARCH") && upper.contains("REPLACE");
    }

    private static boolean closes(String line, String opener) {
        String stripped = line.strip();
        return stripped.length() >= opener.length() && stripped.chars().allMatch(c -> c == opener.charAt(0));
    }

    /** The path a line before a block names: the line without Markdown decoration, if it is one word. */
    private static String pathOf(String line) {
        if (line == null) {
            return null;
        }
        String path = line.strip();
        path = PATH_LABEL.matcher(path).replaceFirst("");
        path = path.replaceAll("^[*_`\"']+|[*_`\"':]+$", "").strip();
        if (path.isEmpty() || path.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        return path;
    }

    private static Parsed malformed(List<Block> blocks, String problem, int line) {
        return new Parsed(blocks, problem, line);
    }
}
