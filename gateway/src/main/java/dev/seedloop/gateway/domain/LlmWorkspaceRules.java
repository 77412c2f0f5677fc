package dev.seedloop.gateway.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.seedloop.artifacts.ArtifactRejectedException;
import dev.seedloop.artifacts.ProtectedPaths;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.events.LlmOptions;

/**
 * What an llm study's options ask of its uploaded workspace, checked before the study exists so a mistake costs a 400
 * instead of a study whose every proposal fails:
 * <ul>
 *   <li>each {@code template-file.<name>} is a regular file of the tree (the proposer reads its prompt from it). It may
 *       be protected, and is better so: then no proposal can rewrite the prompt that asks for the next one;</li>
 *   <li>each {@code editable} file is a regular file of the tree and not protected (a protected path is never shown
 *       as editable: the study would contradict itself);</li>
 *   <li>without {@code editable} files the model may only change {@code EVOLVE-BLOCK-START}/{@code -END} regions, so
 *       some unprotected file must have a marker: a study with nothing to change is refused when the search
 *       ({@link MarkerSearch}) says so for certain, and left to the proposer when the search gave up early.</li>
 * </ul>
 * Pure: the tree's listing and the marker search's outcome come in.
 */
public final class LlmWorkspaceRules {

    /** The marker that opens an editable region. */
    public static final String MARKER = "EVOLVE-BLOCK-START";

    /** What searching the workspace's unprotected files for {@link #MARKER} found. */
    public enum MarkerSearch {
        FOUND,
        /** Every file that could hold a marker was read, and none has one. */
        NONE,
        /** The search stopped at its byte budget (or skipped files too large to read) before it found one. */
        GAVE_UP
    }

    private LlmWorkspaceRules() {
    }

    /** The files a marker search must read: regular files outside {@code protectedPaths}, in tree order. */
    public static List<TreeEntry> markerCandidates(Tree tree, ProtectedPaths protectedPaths) {
        return tree.entries().stream()
                .filter(entry -> entry.kind() != TreeEntry.Kind.SYMLINK && !protectedPaths.covers(entry.path()))
                .toList();
    }

    /**
     * @param markers the marker search's outcome; only consulted when the options name no editable file
     * @return every problem, with the option it is about
     */
    public static List<SpecViolations.Violation> check(LlmOptions options, Tree tree, ProtectedPaths protectedPaths,
            MarkerSearch markers) {
        List<SpecViolations.Violation> problems = new ArrayList<>();
        for (Map.Entry<String, String> template : options.templateFiles().entrySet()) {
            String key = "strategyOptions.template-file." + template.getKey();
            if (regularFile(tree, template.getValue()).isEmpty()) {
                problems.add(new SpecViolations.Violation(key, "'" + template.getValue() + "' is not a file of the"
                        + " workspace " + tree.hash() + " (a path relative to its root; a link does not count)"));
            }
        }
        for (String editable : options.editableFiles()) {
            Optional<String> pattern = path(editable).flatMap(protectedPaths::coveringPattern);
            if (pattern.isPresent()) {
                problems.add(new SpecViolations.Violation("strategyOptions.editable", "'" + editable
                        + "' is protected (protectedPaths '" + pattern.get() + "'): a protected file is never editable"));
            } else if (regularFile(tree, editable).isEmpty()) {
                problems.add(new SpecViolations.Violation("strategyOptions.editable", "'" + editable + "' is not a file"
                        + " of the workspace " + tree.hash()));
            }
        }
        if (options.editableFiles().isEmpty() && markers == MarkerSearch.NONE) {
            problems.add(new SpecViolations.Violation("strategyOptions.editable", "the workspace gives the model"
                    + " nothing to change: no unprotected file has an " + MARKER + " / EVOLVE-BLOCK-END region and no"
                    + " file is listed in strategyOptions.editable"));
        }
        return problems;
    }

    private static Optional<TreeEntry> regularFile(Tree tree, String path) {
        return path(path).flatMap(tree::entry).filter(entry -> entry.kind() != TreeEntry.Kind.SYMLINK);
    }

    /** The path as the tree names it; empty for one no tree can hold (LlmOptions let it pass as a patch path). */
    private static Optional<TreePath> path(String raw) {
        try {
            return Optional.of(TreePath.of(raw));
        } catch (ArtifactRejectedException notATreePath) {
            return Optional.empty();
        }
    }
}
