package dev.seedloop.proposer.domain.llm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;

import dev.seedloop.events.FilePatch;
import dev.seedloop.proposer.domain.llm.AnswerBlocks.Block;
import dev.seedloop.proposer.domain.llm.AnswerBlocks.SearchReplace;
import dev.seedloop.proposer.domain.llm.AnswerBlocks.WholeFile;
import dev.seedloop.proposer.domain.llm.AnswerVerdict.Edited;
import dev.seedloop.proposer.domain.llm.AnswerVerdict.Refused;
import dev.seedloop.proposer.domain.llm.AnswerVerdict.Rule;
import dev.seedloop.proposer.domain.llm.EditableRegions.Region;

/**
 * Turns a model's answer into an edit of its parent tree, or refuses it with the rule it broke (formats: README,
 * "Answer formats"). Pure and total: any answer, however broken, gives a verdict, never an exception.
 *
 * <p>In order: the answer's size; its blocks ({@link AnswerBlocks}); every path the blocks name (normalised first:
 * outside the tree, protected, new, not editable); the blocks applied in order, each to the result of the ones before
 * (a SEARCH matches exactly, else ignoring trailing whitespace, else ignoring indentation, the replacement then
 * re-indented to the lines it replaces, and last without the blank lines at its edges; no match names the closest
 * lines, several matches their line numbers);
 * finally every changed file against the parent: each changed line lies between the markers of a region (unless
 * the file is editable whole), and the markers are all still there, unchanged and paired. Refusals gather every
 * offending path or line of their phase, so one rejection shows the model all it must fix.
 */
public final class AnswerInterpreter {

    /**
     * The largest answer read, in characters. An edit worth applying fits easily (a study's answers are capped by
     * {@code max-answer-tokens}, 4096 by default, about 16k characters); 400k characters is about 100k tokens,
     * beyond any sensible edit of a program and the mark of a runaway generation, which is refused before it is
     * scanned, diffed or shown in the next prompt.
     */
    public static final int DEFAULT_MAX_ANSWER_CHARS = 400_000;

    private static final int CLOSEST_LINES_SHOWN = 12;
    private static final int LINE_CHARS_SHOWN = 160;
    private static final int SCORED_LINES = 40;

    private AnswerInterpreter() {
    }

    /** {@link #interpret(String, Map, EditableRegions, boolean, List, int)} with {@link #DEFAULT_MAX_ANSWER_CHARS}. */
    public static AnswerVerdict interpret(String answer, Map<String, String> parentFiles, EditableRegions regions,
            boolean fullFileRewrites, List<String> protectedPaths) {
        return interpret(answer, parentFiles, regions, fullFileRewrites, protectedPaths, DEFAULT_MAX_ANSWER_CHARS);
    }

    /**
     * @param answer           the model's answer text
     * @param parentFiles      the parent tree's text files, path → UTF-8 content
     * @param regions          what may change ({@link EditableRegions#find} on the same files)
     * @param fullFileRewrites whether {@code FILE:} rewrites are allowed (option {@code full-file-rewrites})
     * @param protectedPaths   the study's protected paths, never written
     * @param maxAnswerChars   answers longer than this are refused unread
     */
    public static AnswerVerdict interpret(String answer, Map<String, String> parentFiles, EditableRegions regions,
            boolean fullFileRewrites, List<String> protectedPaths, int maxAnswerChars) {
        if (answer == null || answer.isBlank()) {
            return refuse(Rule.EMPTY_ANSWER, "the answer is empty; answer with SEARCH/REPLACE blocks",
                    List.of("answer"));
        }
        if (answer.length() > maxAnswerChars) {
            return refuse(Rule.ANSWER_TOO_LARGE, "the answer has " + answer.length() + " characters, more than the "
                    + maxAnswerChars + " read; answer with SEARCH/REPLACE blocks of the lines that change",
                    List.of("answer"));
        }
        String text = answer.replace("\r\n", "\n").replace('\r', '\n');
        Map<String, String> parent = new TreeMap<>();
        parentFiles.forEach((path, content) -> WorkspacePaths.normalise(path).ifPresent(p -> parent.put(p, content)));

        AnswerBlocks.Parsed parsed = AnswerBlocks.parse(text, onlyEditablePath(regions));
        if (parsed.malformed()) {
            return refuse(Rule.MALFORMED_BLOCK, parsed.problem(), List.of("answer:" + parsed.problemLine()));
        }
        if (parsed.blocks().isEmpty()) {
            return refuse(Rule.NO_BLOCKS, "the answer holds no edit block"
                    + (AnswerBlocks.mentionsMarkers(text) ? " (SEARCH/REPLACE markers must stand alone on their lines)"
                            : "")
                    + "; write the file's path, then <<<<<<< SEARCH, the exact lines to replace, =======, the new "
                    + "lines and >>>>>>> REPLACE" + (fullFileRewrites
                            ? ", or FILE: <path> followed by the whole new file in one fenced block" : ""),
                    List.of("answer"));
        }

        Failures pathFailures = new Failures();
        Map<Block, String> paths = new HashMap<>();
        for (Block block : parsed.blocks()) {
            checkPath(block, parent, regions, fullFileRewrites, protectedPaths, pathFailures)
                    .ifPresent(path -> paths.put(block, path));
        }
        if (!pathFailures.isEmpty()) {
            return pathFailures.refusal();
        }

        Map<String, Lines> current = new TreeMap<>();
        for (Block block : parsed.blocks()) {
            String path = paths.get(block);
            Optional<Refused> failed = switch (block) {
                case SearchReplace edit -> apply(edit, path, parent, current, regions);
                case WholeFile rewrite -> {
                    // A fenced block cannot say whether the file ends with a newline: it keeps the parent's.
                    Lines before = current.containsKey(path) ? current.get(path)
                            : parent.containsKey(path) ? Lines.of(parent.get(path)) : null;
                    current.put(path, new Lines(rewrite.content(), before == null || before.finalNewline()));
                    yield Optional.empty();
                }
            };
            if (failed.isPresent()) {
                return failed.get();
            }
        }

        Map<String, String> changed = new TreeMap<>();
        current.forEach((path, lines) -> {
            String content = lines.text();
            if (!content.equals(parent.get(path))) {
                changed.put(path, content);
            }
        });
        if (changed.isEmpty()) {
            return refuse(Rule.NO_CHANGE, "the answer's blocks leave every file as it was", List.of("answer"));
        }
        Failures editFailures = new Failures();
        changed.forEach((path, content) -> checkEdit(path, parent.get(path), content, regions, editFailures));
        if (!editFailures.isEmpty()) {
            return editFailures.refusal();
        }
        List<FilePatch> patches = new ArrayList<>();
        changed.forEach((path, content) -> patches.add(UnifiedDiffs.patch(path, parent.get(path), content)));
        return new Edited(changed, patches, parsed.blocks().size());
    }

    /** The one file a block may mean when it names none, or null when there are several (or none). */
    private static String onlyEditablePath(EditableRegions regions) {
        Set<String> editable = new LinkedHashSet<>(regions.editableFiles());
        regions.regions().forEach(region -> editable.add(region.path()));
        return editable.size() == 1 ? editable.iterator().next() : null;
    }

    private static Optional<String> checkPath(Block block, Map<String, String> parent, EditableRegions regions,
            boolean fullFileRewrites, List<String> protectedPaths, Failures failures) {
        Optional<String> normal = WorkspacePaths.normalise(block.path());
        if (normal.isEmpty()) {
            failures.add(Rule.PATH_OUTSIDE_TREE, "'" + block.path() + "' (answer line " + block.line()
                    + ") is not a path inside the workspace", block.path());
            return Optional.empty();
        }
        String path = normal.get();
        Optional<String> pattern = WorkspacePaths.protectingPattern(path, protectedPaths);
        if (pattern.isEmpty()) {
            pattern = WorkspacePaths.protectingPattern(path, regions.protectedPaths());
        }
        if (pattern.isPresent()) {
            failures.add(Rule.PROTECTED_PATH, path + " is protected (" + pattern.get() + ") and is never changed",
                    path);
            return Optional.empty();
        }
        if (block instanceof WholeFile && !fullFileRewrites) {
            failures.add(Rule.FULL_FILE_REWRITES_OFF, "this study does not allow rewriting a whole file (FILE: " + path
                    + " on answer line " + block.line() + "); change it with SEARCH/REPLACE blocks", path);
            return Optional.empty();
        }
        if (!parent.containsKey(path)) {
            if (!regions.isWholeFileEditable(path)) {
                failures.add(Rule.NEW_FILE, path + " does not exist and only files listed as editable may be created",
                        path);
                return Optional.empty();
            }
        } else if (!regions.isEditable(path)) {
            failures.add(Rule.NOT_EDITABLE, path + " holds no " + EditableRegions.START + " region and is not listed "
                    + "as editable", path);
            return Optional.empty();
        }
        return Optional.of(path);
    }

    private static Optional<Refused> apply(SearchReplace edit, String path, Map<String, String> parent,
            Map<String, Lines> current, EditableRegions regions) {
        Lines file = current.get(path);
        if (file == null && parent.containsKey(path)) {
            file = Lines.of(parent.get(path));
        }
        boolean emptySearch = edit.search().stream().allMatch(String::isBlank);
        if (file == null) {
            if (!emptySearch) {
                return Optional.of(refuse(Rule.NO_MATCH, "the SEARCH block on answer line " + edit.line() + " looks in "
                        + path + ", which does not exist yet: create it with an empty SEARCH", List.of(path)));
            }
            current.put(path, new Lines(edit.replace(), true));
            return Optional.empty();
        }
        if (emptySearch) {
            if (!file.lines().stream().allMatch(String::isBlank)) {
                return Optional.of(refuse(Rule.NO_MATCH, "the SEARCH block on answer line " + edit.line() + " for "
                        + path + " is empty; quote the existing lines to replace", List.of(path)));
            }
            current.put(path, new Lines(edit.replace(), true));
            return Optional.empty();
        }
        Optional<Refused> applied = replace(edit, path, file, edit.search(), edit.replace(), current, regions);
        if (applied.isPresent() && applied.get().rule() == Rule.NO_MATCH && hasBlankEdges(edit.search())) {
            // Models often pad a SEARCH with blank lines the file does not have there: try it without them.
            Optional<Refused> trimmed = replace(edit, path, file, trimBlankEdges(edit.search()),
                    trimBlankEdges(edit.replace()), current, regions);
            if (trimmed.isEmpty() || trimmed.get().rule() != Rule.NO_MATCH) {
                return trimmed;
            }
        }
        return applied;
    }

    private static Optional<Refused> replace(SearchReplace edit, String path, Lines file, List<String> search,
            List<String> replace, Map<String, Lines> current, EditableRegions regions) {
        List<String> lines = file.lines();
        for (Level level : Level.values()) {
            List<Integer> found = matches(lines, search, level.normaliser);
            if (found.size() > 1) {
                found = insideRegions(found, search.size(), path, file, regions);
            }
            if (found.size() > 1) {
                List<String> at = found.stream().map(i -> path + ":" + (i + 1) + "-" + (i + search.size())).toList();
                return Optional.of(refuse(Rule.AMBIGUOUS_MATCH, "the SEARCH block on answer line " + edit.line()
                        + " matches " + path + " " + found.size() + " times (at lines " + found.stream()
                                .map(i -> String.valueOf(i + 1)).reduce((a, b) -> a + ", " + b).orElse("")
                        + "); include more surrounding lines so it matches once", at));
            }
            if (found.size() == 1) {
                int at = found.get(0);
                List<String> matched = lines.subList(at, at + search.size());
                List<String> replacement = level == Level.INDENTATION ? reindent(replace, search, matched) : replace;
                if (!matched.isEmpty() && matched.stream().allMatch(line -> line.endsWith("\r"))) {
                    // A file with Windows line endings keeps them: the answer's lines came without.
                    replacement = replacement.stream().map(line -> line.endsWith("\r") ? line : line + "\r").toList();
                }
                List<String> changed = new ArrayList<>(lines.subList(0, at));
                changed.addAll(replacement);
                changed.addAll(lines.subList(at + search.size(), lines.size()));
                current.put(path, new Lines(changed, file.finalNewline()));
                return Optional.empty();
            }
        }
        return Optional.of(refuse(Rule.NO_MATCH, "the SEARCH block on answer line " + edit.line() + " matches nothing "
                + "in " + path + ", not even ignoring whitespace. " + closest(path, lines, search), List.of(path)));
    }

    private static boolean hasBlankEdges(List<String> lines) {
        return !lines.isEmpty() && (lines.get(0).isBlank() || lines.get(lines.size() - 1).isBlank());
    }

    private static List<String> trimBlankEdges(List<String> lines) {
        int from = 0;
        int to = lines.size();
        while (from < to && lines.get(from).isBlank()) {
            from++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        return lines.subList(from, to);
    }

    /** How loosely a SEARCH line may equal a file line; tried in this order, the first that matches wins. */
    private enum Level {
        EXACT(line -> line),
        TRAILING_WHITESPACE(String::stripTrailing),
        INDENTATION(String::strip);

        private final UnaryOperator<String> normaliser;

        Level(UnaryOperator<String> normaliser) {
            this.normaliser = normaliser;
        }
    }

    private static List<Integer> matches(List<String> lines, List<String> search, UnaryOperator<String> normaliser) {
        List<String> hay = lines.stream().map(normaliser).toList();
        List<String> needle = search.stream().map(normaliser).toList();
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i + needle.size() <= hay.size(); i++) {
            boolean equal = true;
            for (int j = 0; j < needle.size() && equal; j++) {
                equal = hay.get(i + j).equals(needle.get(j));
            }
            if (equal) {
                found.add(i);
            }
        }
        return found;
    }

    /**
     * Of several matches, those inside a region of the file as it is now (markers move with earlier blocks): a
     * SEARCH that also matches outside every region can only mean the copy inside one. A file editable whole, or
     * one whose markers no longer pair up, keeps all its matches.
     */
    private static List<Integer> insideRegions(List<Integer> found, int size, String path, Lines file,
            EditableRegions regions) {
        if (regions.isWholeFileEditable(path)) {
            return found;
        }
        EditableRegions.Scan scan = EditableRegions.scan(path, file.text());
        if (scan.problem().isPresent()) {
            return found;
        }
        List<Integer> inside = found.stream().filter(at -> scan.regions().stream()
                .anyMatch(region -> region.contains(at + 1) && region.contains(at + size))).toList();
        return inside.isEmpty() ? found : inside;
    }

    /**
     * The replacement moved by the indentation the file's lines have and the SEARCH lines lacked (or had too much):
     * the first non-blank line of each gives the two indentations; a replacement line starting with the SEARCH's
     * indentation gets the file's instead. Lines indented less than that are left as written.
     */
    private static List<String> reindent(List<String> replace, List<String> search, List<String> found) {
        String from = indentOf(search);
        String to = indentOf(found);
        if (from.equals(to)) {
            return replace;
        }
        return replace.stream().map(line -> line.isBlank() || !line.startsWith(from) ? line
                : to + line.substring(from.length())).toList();
    }

    private static String indentOf(List<String> lines) {
        for (String line : lines) {
            if (!line.isBlank()) {
                int i = 0;
                while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
                    i++;
                }
                return line.substring(0, i);
            }
        }
        return "";
    }

    /** The lines of {@code path} most like {@code search}, with numbers, for the next prompt. */
    static String closest(String path, List<String> lines, List<String> search) {
        if (lines.isEmpty()) {
            return path + " is empty.";
        }
        int window = Math.min(search.size(), lines.size());
        // Scoring compares at most the first SCORED_LINES lines of the window: enough to place a long block, and it
        // keeps the search linear in the file's length, however long the SEARCH.
        int scored = Math.min(window, SCORED_LINES);
        List<Map<String, Integer>> fileGrams = lines.stream().map(AnswerInterpreter::bigrams).toList();
        List<Map<String, Integer>> searchGrams = search.subList(0, scored).stream().map(AnswerInterpreter::bigrams)
                .toList();
        int best = 0;
        double bestScore = -1;
        for (int i = 0; i + window <= lines.size(); i++) {
            double score = 0;
            for (int j = 0; j < scored; j++) {
                score += dice(fileGrams.get(i + j), searchGrams.get(j));
            }
            score = score * window / scored / Math.max(window, search.size());
            if (score > bestScore) {
                bestScore = score;
                best = i;
            }
        }
        StringBuilder out = new StringBuilder("The closest lines in ").append(path).append(" (")
                .append(Math.round(bestScore * 100)).append("% similar) are lines ").append(best + 1).append('-')
                .append(best + window).append(":\n");
        for (int i = best; i < best + Math.min(window, CLOSEST_LINES_SHOWN); i++) {
            String line = lines.get(i);
            out.append(i + 1).append(": ").append(line.length() > LINE_CHARS_SHOWN
                    ? line.substring(0, LINE_CHARS_SHOWN) + "…" : line).append('\n');
        }
        if (window > CLOSEST_LINES_SHOWN) {
            out.append("… (").append(window - CLOSEST_LINES_SHOWN).append(" more lines)\n");
        }
        return out.toString();
    }

    /** The character bigrams of a line without its indentation, counted (a line of one character is one gram). */
    private static Map<String, Integer> bigrams(String line) {
        String text = line.strip();
        Map<String, Integer> grams = new HashMap<>();
        if (text.length() == 1) {
            grams.put(text, 1);
        }
        for (int i = 0; i + 1 < text.length(); i++) {
            grams.merge(text.substring(i, i + 2), 1, Integer::sum);
        }
        return grams;
    }

    /** Sørensen–Dice coefficient of two bigram multisets; two blank lines are alike. */
    private static double dice(Map<String, Integer> a, Map<String, Integer> b) {
        int sizeA = a.values().stream().mapToInt(Integer::intValue).sum();
        int sizeB = b.values().stream().mapToInt(Integer::intValue).sum();
        if (sizeA + sizeB == 0) {
            return 1;
        }
        int common = 0;
        for (Map.Entry<String, Integer> gram : a.entrySet()) {
            common += Math.min(gram.getValue(), b.getOrDefault(gram.getKey(), 0));
        }
        return 2.0 * common / (sizeA + sizeB);
    }

    /**
     * The edit of one file against its parent: markers still paired and unchanged, every changed parent line (and
     * every insertion point) between the markers of one region. A file editable whole may change freely.
     */
    private static void checkEdit(String path, String before, String after, EditableRegions regions,
            Failures failures) {
        if (regions.isWholeFileEditable(path)) {
            return;
        }
        List<Region> was = regions.regionsOf(path);
        EditableRegions.Scan now = EditableRegions.scan(path, after);
        if (now.problem().isPresent()) {
            failures.add(Rule.MARKERS_CHANGED, "after the edit, " + now.problem().get(), path);
        } else if (!markers(was).equals(markers(now.regions()))) {
            failures.add(Rule.MARKERS_CHANGED, path + " had the markers " + markers(was) + " and has "
                    + markers(now.regions()) + " after the edit; keep every marker line as it is", path);
        }
        List<String> old = Lines.of(before).lines();
        List<String> next = Lines.of(after).lines();
        for (AbstractDelta<String> delta : DiffUtils.diff(old, next).getDeltas()) {
            int position = delta.getSource().getPosition();
            int size = delta.getSource().size();
            if (size == 0) {
                // Lines inserted between parent lines `position` and `position + 1` (1-based).
                boolean inside = was.stream().anyMatch(r -> r.startLine() <= position && position + 1 <= r.endLine());
                if (!inside) {
                    failures.add(Rule.OUTSIDE_REGION, path + ": lines inserted after line " + position
                            + ", outside every region" + between(was), path + ":" + position);
                }
            } else {
                int first = position + 1;
                int last = position + size;
                boolean inside = was.stream().anyMatch(r -> r.contains(first) && r.contains(last));
                if (!inside) {
                    String lines = first == last ? "line " + first : "lines " + first + "-" + last;
                    failures.add(Rule.OUTSIDE_REGION, path + ": " + lines + " changed outside every region"
                            + between(was), first == last ? path + ":" + first : path + ":" + first + "-" + last);
                }
            }
        }
    }

    private static List<String> markers(List<Region> regions) {
        List<String> markers = new ArrayList<>();
        regions.forEach(region -> {
            markers.add(region.startMarker());
            markers.add(region.endMarker());
        });
        return markers;
    }

    private static String between(List<Region> regions) {
        return regions.isEmpty() ? "" : " (editable: lines " + regions.stream()
                .map(r -> (r.startLine() + 1) + "-" + (r.endLine() - 1)).reduce((a, b) -> a + ", " + b).orElse("")
                + ")";
    }

    private static Refused refuse(Rule rule, String why, List<String> violations) {
        return new Refused(rule.code() + ": " + why, violations);
    }

    /** The refusals of one phase: the first rule broken names the refusal, every message and violation is kept. */
    private static final class Failures {
        private final Map<Rule, List<String>> messages = new LinkedHashMap<>();
        private final Set<String> violations = new LinkedHashSet<>();

        void add(Rule rule, String message, String violation) {
            List<String> list = messages.computeIfAbsent(rule, r -> new ArrayList<>());
            if (!list.contains(message)) {
                list.add(message);
            }
            violations.add(violation);
        }

        boolean isEmpty() {
            return messages.isEmpty();
        }

        Refused refusal() {
            Rule first = messages.keySet().iterator().next();
            List<String> all = new ArrayList<>();
            messages.forEach((rule, list) -> list.forEach(message -> all.add(
                    rule == first ? message : rule.code() + ": " + message)));
            return refuse(first, String.join("; ", all), List.copyOf(violations));
        }
    }
}
