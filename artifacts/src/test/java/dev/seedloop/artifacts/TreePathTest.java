package dev.seedloop.artifacts;

import static dev.seedloop.artifacts.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

class TreePathTest {

    @ParameterizedTest
    @CsvSource({
            "tests/x, tests/x",
            "./tests/x, tests/x",
            "././tests/x, tests/x",
            "tests//x, tests/x",
            "tests/./x, tests/x",
            "tests/x/, tests/x",
            ".//a/.//b, a/b",
            "a.b/.c, a.b/.c"})
    void isNormalisedBeforeAnyCheck(String raw, String normalised) {
        assertThat(TreePath.of(raw).value()).isEqualTo(normalised);
    }

    @Test
    void isUnicodeNfc() {
        String decomposed = "cafe\u0301.txt";
        assertThat(TreePath.of(decomposed)).isEqualTo(TreePath.of("caf\u00e9.txt"));
    }

    @Test
    void hasACaseFoldedKeyForCaseInsensitiveFileSystems() {
        assertThat(TreePath.of("Tests/X.py").foldedKey()).isEqualTo(TreePath.of("tests/x.PY").foldedKey());
        assertThat(TreePath.of("STRASSE").foldedKey()).isEqualTo(TreePath.of("stra\u00dfe").foldedKey());
        assertThat(TreePath.of("a").foldedKey()).isNotEqualTo(TreePath.of("b").foldedKey());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "/", "//x", "C:/x", "c:x"})
    void refusesAbsolutePaths(String raw) {
        refused(Reason.ABSOLUTE_PATH, () -> TreePath.of(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "a/../b", "a/..", "./../x", "a//../b"})
    void refusesParentSegments(String raw) {
        refused(Reason.PARENT_SEGMENT, () -> TreePath.of(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\\b", "..\\x", "\\x"})
    void refusesBackslashes(String raw) {
        refused(Reason.BACKSLASH, () -> TreePath.of(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "x\n", "\u001b[31m", "a\u007f", "a\u0085b"})
    void refusesControlCharacters(String raw) {
        ArtifactRejectedException e = refused(Reason.CONTROL_CHARACTER, () -> TreePath.of(raw));
        assertThat(e.getMessage()).doesNotContain("\u0000").doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "./", ".//", "./."})
    void refusesEmptyPaths(String raw) {
        refused(Reason.EMPTY_PATH, () -> TreePath.of(raw));
    }

    @Test
    void refusesNull() {
        refused(Reason.EMPTY_PATH, () -> TreePath.of(null));
    }

    @Test
    void refusesOverLongSegmentsAndPaths() {
        assertThat(TreePath.of("a".repeat(TreePath.MAX_SEGMENT_BYTES)).value()).hasSize(255);
        refused(Reason.PATH_TOO_LONG, () -> TreePath.of("a".repeat(TreePath.MAX_SEGMENT_BYTES + 1)));
        refused(Reason.PATH_TOO_LONG, () -> TreePath.of("\u00e9".repeat(128)));
        String deep = String.join("/", java.util.Collections.nCopies(TreePath.MAX_PATH_BYTES / 2, "a"));
        assertThat(deep.length()).isEqualTo(TreePath.MAX_PATH_BYTES - 1);
        assertThat(TreePath.of(deep).value()).isEqualTo(deep);
        refused(Reason.PATH_TOO_LONG, () -> TreePath.of(deep + "/b"));
    }

    @Test
    void theRootIsNotAPathButOfOrRootSaysSo() {
        assertThat(TreePath.ofOrRoot("./")).isEmpty();
        assertThat(TreePath.ofOrRoot("a/")).contains(TreePath.of("a"));
        refused(Reason.ABSOLUTE_PATH, () -> TreePath.ofOrRoot("/"));
    }

    @Test
    void ordersByUtf8BytesNotByUtf16() {
        // U+FF5E (3 UTF-8 bytes, 0xEF...) sorts before U+1F600 (4 bytes, 0xF0...) by bytes, after it by UTF-16.
        TreePath bmp = TreePath.of("\uff5e");
        TreePath astral = TreePath.of("\ud83d\ude00");
        List<TreePath> paths = new ArrayList<>(List.of(astral, bmp, TreePath.of("Z"), TreePath.of("a")));
        paths.sort(null);
        assertThat(paths).containsExactly(TreePath.of("Z"), TreePath.of("a"), bmp, astral);
        assertThat(bmp.value().compareTo(astral.value())).as("UTF-16 order differs").isPositive();
    }

    @Test
    void knowsItsParentsAndWhatItLiesWithin() {
        TreePath path = TreePath.of("a/b/c.txt");
        assertThat(path.ancestors()).containsExactly(TreePath.of("a"), TreePath.of("a/b"));
        assertThat(path.name()).isEqualTo("c.txt");
        assertThat(path.parent()).contains(TreePath.of("a/b"));
        assertThat(path.isWithin(TreePath.of("A"))).isTrue();
        assertThat(path.isWithin(TreePath.of("a/b/c.txt"))).isTrue();
        assertThat(path.isWithin(TreePath.of("a/b/c"))).isFalse();
        assertThat(TreePath.of("ab/c").isWithin(TreePath.of("a"))).isFalse();
    }
}
