package dev.seedloop.proposer.domain.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.LlmOptions;
import dev.seedloop.proposer.domain.llm.EditableRegions.Region;

class EditableRegionsTest {

    private static final String PY = """
            import math

            # EVOLVE-BLOCK-START
            def priority(item, bins):
                return -item
            # EVOLVE-BLOCK-END

            def main():
                pass
            """;

    private static final String JAVA = """
            class Score {
                // EVOLVE-BLOCK-START tune this
                static double score(double x) { return x; }
                // EVOLVE-BLOCK-END
                /* EVOLVE-BLOCK-START */
                /* EVOLVE-BLOCK-END */
            }
            """;

    @Test
    void findsEveryPairInAnyCommentSyntaxAndFile() {
        EditableRegions regions = EditableRegions.find(Map.of("heuristic.py", PY, "src/Score.java", JAVA,
                "README.md", "no markers\n"), LlmOptions.defaults(), List.of());

        assertThat(regions.regions()).containsExactly(
                new Region("heuristic.py", 3, 6, "# EVOLVE-BLOCK-START", "# EVOLVE-BLOCK-END"),
                new Region("src/Score.java", 2, 4, "    // EVOLVE-BLOCK-START tune this", "    // EVOLVE-BLOCK-END"),
                new Region("src/Score.java", 5, 6, "    /* EVOLVE-BLOCK-START */", "    /* EVOLVE-BLOCK-END */"));
        assertThat(regions.problems()).isEmpty();
        assertThat(regions.isEmpty()).isFalse();
        assertThat(regions.regions().get(0).contains(4)).isTrue();
        assertThat(regions.regions().get(0).contains(3)).isFalse();
        assertThat(regions.regions().get(0).contains(6)).isFalse();
    }

    @Test
    void wholeFilesComeFromTheOptionsAndMayNotExistYet() {
        LlmOptions options = LlmOptions.parse(Map.of("editable", "./lib/util.py, lib/new.py"));

        EditableRegions regions = EditableRegions.find(Map.of("lib/util.py", "x = 1\n"), options, List.of());

        assertThat(regions.editableFiles()).containsExactly("lib/new.py", "lib/util.py");
        assertThat(regions.regions()).isEmpty();
        assertThat(regions.isEditable("lib/util.py")).isTrue();
        assertThat(regions.describe()).contains("- lib/new.py (new file)").contains("- lib/util.py\n");
    }

    @Test
    void protectedPathsAreNeverEditableEvenWithMarkers() {
        LlmOptions options = LlmOptions.parse(Map.of("editable", "evaluate.py,tests/helper.py"));

        EditableRegions regions = EditableRegions.find(Map.of("heuristic.py", PY, "tests/test_h.py", PY,
                "evaluate.py", PY), options, List.of("tests/", "evaluate.py"));

        assertThat(regions.regions()).extracting(Region::path).containsExactly("heuristic.py");
        assertThat(regions.editableFiles()).isEmpty();
        assertThat(regions.describe()).doesNotContain("tests/").doesNotContain("evaluate.py");
    }

    @Test
    void aProtectedDirectoryWithoutSlashOrInAnotherCaseStillCovers() {
        EditableRegions regions = EditableRegions.find(Map.of("Tests/a.py", PY, "testsuite.py", PY),
                LlmOptions.defaults(), List.of("./tests"));

        assertThat(regions.regions()).extracting(Region::path).containsExactly("testsuite.py");
    }

    @Test
    void unbalancedMarkersLeaveTheFileWithoutRegionsAndSayWhy() {
        Map<String, String> files = Map.of(
                "open.py", "# EVOLVE-BLOCK-START\nx = 1\n",
                "close.py", "x = 1\n# EVOLVE-BLOCK-END\n",
                "nested.py", "# EVOLVE-BLOCK-START\n# EVOLVE-BLOCK-START\nx\n# EVOLVE-BLOCK-END\n# EVOLVE-BLOCK-END\n",
                "half.py", "# EVOLVE-BLOCK-START\na\n# EVOLVE-BLOCK-END\n# EVOLVE-BLOCK-END\n",
                "ok.py", PY);

        EditableRegions regions = EditableRegions.find(files, LlmOptions.defaults(), List.of());

        assertThat(regions.regions()).extracting(Region::path).containsOnly("ok.py");
        assertThat(regions.problems()).containsExactly(
                "close.py: EVOLVE-BLOCK-END on line 2 closes no region; the file has no editable region until its "
                        + "markers pair up",
                "half.py: EVOLVE-BLOCK-END on line 4 closes no region; the file has no editable region until its "
                        + "markers pair up",
                "nested.py: EVOLVE-BLOCK-START on line 2 opens a region inside the one opened on line 1 (regions do "
                        + "not nest); the file has no editable region until its markers pair up",
                "open.py: EVOLVE-BLOCK-START on line 1 is never closed by EVOLVE-BLOCK-END; the file has no editable "
                        + "region until its markers pair up");
        assertThat(regions.describe()).contains("Not editable, markers do not pair up:").contains("- open.py: ");
    }

    @Test
    void describeListsTheEditableLines() {
        EditableRegions regions = EditableRegions.find(Map.of("heuristic.py", PY, "src/Score.java", JAVA),
                LlmOptions.defaults(), List.of());

        assertThat(regions.describe()).isEqualTo("""
                Editable regions (change only the lines between the markers; keep the marker lines as they are):
                - heuristic.py lines 4-5, between the markers on lines 3 and 6
                - src/Score.java line 3, between the markers on lines 2 and 4
                - src/Score.java (empty so far), between the markers on lines 5 and 6
                """);
    }

    @Test
    void nothingEditableIsSaid() {
        EditableRegions regions = EditableRegions.find(Map.of("a.py", "x\n"), LlmOptions.defaults(), List.of());

        assertThat(regions.isEmpty()).isTrue();
        assertThat(regions.describe()).startsWith("Nothing is editable");
    }
}
