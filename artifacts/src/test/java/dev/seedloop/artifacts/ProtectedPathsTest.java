package dev.seedloop.artifacts;

import static dev.seedloop.artifacts.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

class ProtectedPathsTest {

    private final ProtectedPaths protectedPaths = ProtectedPaths.of(List.of("tests/", "./conftest.py", "data//heldout"));

    @ParameterizedTest
    @ValueSource(strings = {"tests/x", "./tests/x", "tests//x", "TESTS/x", "Tests/./X", "tests", "tests/", "./tests",
            "conftest.py", "CONFTEST.PY", "./conftest.py/", "data/heldout", "data/heldout/a.csv", "DATA//HeldOut/b",
            "tests/sub/deep/file.py", "./TeStS//sub/./x"})
    void coversEverySpellingOfAProtectedPath(String raw) {
        ArtifactRejectedException e = refused(Reason.PROTECTED_PATH, () -> protectedPaths.requireWritable(raw));
        assertThat(e.path()).contains(raw);
        assertThat(protectedPaths.covers(TreePath.of(raw))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"testsuite/x", "src/tests/x", "tests.py", "conftest.py.bak", "data/heldout2", "data/x"})
    void leavesOtherPathsWritable(String raw) {
        assertThat(protectedPaths.requireWritable(raw)).isEqualTo(TreePath.of(raw));
    }

    @Test
    void namesThePatternThatCoversAPath() {
        assertThat(protectedPaths.coveringPattern(TreePath.of("TESTS/a"))).contains("tests/");
        assertThat(ProtectedPaths.none().covers(TreePath.of("tests/a"))).isFalse();
    }

    @Test
    void refusesPatternsThatAreNotPaths() {
        refused(Reason.PARENT_SEGMENT, () -> ProtectedPaths.of(List.of("../tests")));
        refused(Reason.ABSOLUTE_PATH, () -> ProtectedPaths.of(List.of("/tests")));
    }

    @Test
    void refusesAPathThatIsNotAPathWithItsOwnReason() {
        refused(Reason.PARENT_SEGMENT, () -> protectedPaths.requireWritable("src/../tests/x"));
    }
}
