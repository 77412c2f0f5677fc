package dev.seedloop.proposer.domain.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class WorkspacePathsTest {

    @Test
    void normalisesDotsAndParentsInsideTheTree() {
        assertThat(WorkspacePaths.normalise("./src/a.py")).hasValue("src/a.py");
        assertThat(WorkspacePaths.normalise("src//lib/../a.py")).hasValue("src/a.py");
        assertThat(WorkspacePaths.normalise("`src/a.py`")).hasValue("src/a.py");
        assertThat(WorkspacePaths.normalise(" \"a.py\" ")).hasValue("a.py");
    }

    @Test
    void refusesWhatLeavesTheTree() {
        for (String raw : List.of("../a.py", "src/../../a.py", "/etc/passwd", "C:/x", "a\\b", "", ".", "a/..",
                "a\u0000b")) {
            assertThat(WorkspacePaths.normalise(raw)).as(raw).isEqualTo(Optional.empty());
        }
    }

    @Test
    void protectedPathsCoverFilesAndDirectoriesCaseFolded() {
        List<String> protectedPaths = List.of("tests/", "evaluate.py");

        assertThat(WorkspacePaths.protectingPattern("tests/x.py", protectedPaths)).hasValue("tests/");
        assertThat(WorkspacePaths.protectingPattern("TESTS/x.py", protectedPaths)).hasValue("tests/");
        assertThat(WorkspacePaths.protectingPattern("tests", protectedPaths)).hasValue("tests/");
        assertThat(WorkspacePaths.protectingPattern("evaluate.py", protectedPaths)).hasValue("evaluate.py");
        assertThat(WorkspacePaths.isProtected("testsuite/x.py", protectedPaths)).isFalse();
        assertThat(WorkspacePaths.isProtected("evaluate.py.bak", protectedPaths)).isFalse();
    }
}
