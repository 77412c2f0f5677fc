package dev.seedloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ProtectedPaths;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.events.LlmOptions;

class LlmWorkspaceRulesTest {

    private static final String BLOB = "sha256:" + "5".repeat(64);

    private static TreeEntry file(String path) {
        return new TreeEntry(TreePath.of(path), TreeEntry.Kind.FILE, BLOB, 10);
    }

    private final Tree tree = Tree.of(List.of(file("main.py"), file("tests/test_main.py"),
            new TreeEntry(TreePath.of("link.py"), TreeEntry.Kind.SYMLINK, BLOB, 7)));
    private final ProtectedPaths protectedPaths = ProtectedPaths.of(List.of("tests/"));

    @Test
    void aMarkerSearchSkipsProtectedFilesAndLinks() {
        assertThat(LlmWorkspaceRules.markerCandidates(tree, protectedPaths))
                .extracting(entry -> entry.path().value()).containsExactly("main.py");
    }

    @Test
    void withoutEditableFilesOnlyASearchThatReadEverythingAndFoundNoMarkerRefuses() {
        LlmOptions none = LlmOptions.defaults();

        assertThat(LlmWorkspaceRules.check(none, tree, protectedPaths, LlmWorkspaceRules.MarkerSearch.NONE))
                .extracting(SpecViolations.Violation::path).containsExactly("strategyOptions.editable");
        assertThat(LlmWorkspaceRules.check(none, tree, protectedPaths, LlmWorkspaceRules.MarkerSearch.GAVE_UP))
                .isEmpty();
        assertThat(LlmWorkspaceRules.check(none, tree, protectedPaths, LlmWorkspaceRules.MarkerSearch.FOUND))
                .isEmpty();
    }

    @Test
    void aLinkIsNeitherATemplateFileNorAnEditableFile() {
        LlmOptions options = LlmOptions.parse(Map.of("templates", "t", "template-file.t", "link.py",
                "editable", "link.py"));

        assertThat(LlmWorkspaceRules.check(options, tree, protectedPaths, LlmWorkspaceRules.MarkerSearch.FOUND))
                .extracting(SpecViolations.Violation::path)
                .containsExactly("strategyOptions.template-file.t", "strategyOptions.editable");
    }
}
