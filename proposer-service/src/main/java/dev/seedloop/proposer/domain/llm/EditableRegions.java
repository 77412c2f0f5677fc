package dev.seedloop.proposer.domain.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import dev.seedloop.events.LlmOptions;

/**
 * What of a parent tree a model may change: every {@value #START} … {@value #END} pair in any text file (the marker
 * text anywhere on its line, so any comment syntax works: {@code # EVOLVE-BLOCK-START}, {@code // EVOLVE-BLOCK-END},
 * {@code <!-- EVOLVE-BLOCK-START -->}), plus the files the study lists as editable whole ({@code editable} option).
 * Only the lines between a pair's marker lines are editable; the marker lines themselves stay as they are.
 *
 * <p>Invariants: a protected path is never editable and never listed, whatever markers it holds. A file whose markers
 * do not pair up (an end before a start, a start inside an open region, a start never closed, both markers on one
 * line) has no region at all, and {@link #problems()} says why, so the prompt can show it instead of guessing which
 * half was meant. Paths are in byte order and line numbers 1-based.
 */
public final class EditableRegions {

    public static final String START = "EVOLVE-BLOCK-START";
    public static final String END = "EVOLVE-BLOCK-END";

    /**
     * One editable region: the lines strictly between {@code startLine} and {@code endLine} of {@code path}, the
     * 1-based lines holding the markers, whose full text ({@code startMarker}, {@code endMarker}) must survive an edit.
     */
    public record Region(String path, int startLine, int endLine, String startMarker, String endMarker) {

        public Region {
            Objects.requireNonNull(path, "path");
            if (startLine < 1 || endLine <= startLine) {
                throw new IllegalArgumentException("a region spans from its start marker to a later end marker, but was "
                        + startLine + ".." + endLine);
            }
        }

        /** Whether the 1-based {@code line} lies between the markers (may be changed). */
        public boolean contains(int line) {
            return line > startLine && line < endLine;
        }
    }

    private final List<Region> regions;
    private final List<String> editableFiles;
    private final List<String> missingEditableFiles;
    private final List<String> problems;
    private final List<String> protectedPaths;

    private EditableRegions(List<Region> regions, List<String> editableFiles, List<String> missingEditableFiles,
            List<String> problems, List<String> protectedPaths) {
        this.regions = List.copyOf(regions);
        this.editableFiles = List.copyOf(editableFiles);
        this.missingEditableFiles = List.copyOf(missingEditableFiles);
        this.problems = List.copyOf(problems);
        this.protectedPaths = List.copyOf(protectedPaths);
    }

    /**
     * The regions of a parent tree.
     *
     * @param files          the parent's text files, path → UTF-8 content
     * @param options        the study's llm options ({@link LlmOptions#editableFiles()} are editable whole)
     * @param protectedPaths the study's protected paths (files, or directories covering everything below them)
     */
    public static EditableRegions find(Map<String, String> files, LlmOptions options, List<String> protectedPaths) {
        Map<String, String> byPath = new TreeMap<>();
        files.forEach((path, content) -> WorkspacePaths.normalise(path).ifPresent(p -> byPath.put(p, content)));
        List<Region> regions = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        byPath.forEach((path, content) -> {
            if (WorkspacePaths.isProtected(path, protectedPaths)) {
                return;
            }
            Scan scan = scan(path, content);
            scan.problem().ifPresentOrElse(problems::add, () -> regions.addAll(scan.regions()));
        });
        List<String> whole = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String listed : options.editableFiles()) {
            Optional<String> path = WorkspacePaths.normalise(listed);
            if (path.isEmpty() || WorkspacePaths.isProtected(path.get(), protectedPaths)
                    || whole.contains(path.get())) {
                continue;
            }
            whole.add(path.get());
            if (!byPath.containsKey(path.get())) {
                missing.add(path.get());
            }
        }
        whole.sort(null);
        missing.sort(null);
        return new EditableRegions(regions, whole, missing, problems, protectedPaths);
    }

    /** The result of scanning one file: its regions, or the problem that leaves it without any. */
    record Scan(List<Region> regions, Optional<String> problem) {
    }

    /** The regions of one file, or why its markers do not pair up. */
    static Scan scan(String path, String content) {
        List<String> lines = Lines.of(content).lines();
        List<Region> found = new ArrayList<>();
        int openLine = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean start = line.contains(START);
            boolean end = line.contains(END);
            int number = i + 1;
            if (start && end) {
                return problem(path, "line " + number + " holds both " + START + " and " + END);
            }
            if (start) {
                if (openLine >= 0) {
                    return problem(path, START + " on line " + number + " opens a region inside the one opened on line "
                            + openLine + " (regions do not nest)");
                }
                openLine = number;
            } else if (end) {
                if (openLine < 0) {
                    return problem(path, END + " on line " + number + " closes no region");
                }
                found.add(new Region(path, openLine, number, lines.get(openLine - 1), line));
                openLine = -1;
            }
        }
        if (openLine >= 0) {
            return problem(path, START + " on line " + openLine + " is never closed by " + END);
        }
        return new Scan(found, Optional.empty());
    }

    private static Scan problem(String path, String why) {
        return new Scan(List.of(), Optional.of(path + ": " + why + "; the file has no editable region until its "
                + "markers pair up"));
    }

    /** Every region, by path then line. */
    public List<Region> regions() {
        return regions;
    }

    /** The regions of one (normalised) path, in line order. */
    public List<Region> regionsOf(String path) {
        return regions.stream().filter(region -> region.path().equals(path)).toList();
    }

    /** The files editable whole (normalised, not protected), whether the parent has them yet or not. */
    public List<String> editableFiles() {
        return editableFiles;
    }

    /** Whether {@code path} (normalised) may be changed or created whole. */
    public boolean isWholeFileEditable(String path) {
        return editableFiles.contains(path);
    }

    /** Whether {@code path} (normalised) may be changed at all: editable whole, or holding a region. */
    public boolean isEditable(String path) {
        return isWholeFileEditable(path) || regions.stream().anyMatch(region -> region.path().equals(path));
    }

    /** The protected paths these regions were found with (patterns as given). */
    public List<String> protectedPaths() {
        return protectedPaths;
    }

    /** Why some files have no region (markers that do not pair up), one line per file. */
    public List<String> problems() {
        return problems;
    }

    /** Whether nothing at all is editable: a prompt would ask for an edit no answer can make. */
    public boolean isEmpty() {
        return regions.isEmpty() && editableFiles.isEmpty();
    }

    /** A short listing for the prompt: the regions, the files editable whole, and the marker problems. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        if (isEmpty()) {
            out.append("Nothing is editable: no file holds an ").append(START).append(" / ").append(END)
                    .append(" pair and no file is listed as editable.\n");
        }
        if (!regions.isEmpty()) {
            out.append("Editable regions (change only the lines between the markers; keep the marker lines as they "
                    + "are):\n");
            for (Region region : regions) {
                int lines = region.endLine() - region.startLine() - 1;
                out.append("- ").append(region.path()).append(lines == 0 ? " (empty so far)"
                        : lines == 1 ? " line " + (region.startLine() + 1)
                        : " lines " + (region.startLine() + 1) + "-" + (region.endLine() - 1))
                        .append(", between the markers on lines ").append(region.startLine()).append(" and ")
                        .append(region.endLine()).append('\n');
            }
        }
        if (!editableFiles.isEmpty()) {
            out.append("Files editable as a whole:\n");
            for (String path : editableFiles) {
                out.append("- ").append(path).append(missingEditableFiles.contains(path) ? " (new file)" : "")
                        .append('\n');
            }
        }
        if (!problems.isEmpty()) {
            out.append("Not editable, markers do not pair up:\n");
            problems.forEach(problem -> out.append("- ").append(problem).append('\n'));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
