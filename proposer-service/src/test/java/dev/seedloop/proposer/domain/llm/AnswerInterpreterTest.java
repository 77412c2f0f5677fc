package dev.seedloop.proposer.domain.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.FilePatch;
import dev.seedloop.events.LlmOptions;
import dev.seedloop.proposer.domain.llm.AnswerVerdict.Edited;
import dev.seedloop.proposer.domain.llm.AnswerVerdict.Refused;
import dev.seedloop.proposer.domain.llm.AnswerVerdict.Rule;

class AnswerInterpreterTest {

    private static final String HEURISTIC = """
            import math

            # EVOLVE-BLOCK-START
            def priority(item, bins):
                score = 0
                for b in bins:
                    if b >= item:
                        score = score + 1
                return -item
            # EVOLVE-BLOCK-END

            def main():
                return 0
            """;

    private static final String UTIL = "def clamp(x):\n    return max(0, x)\n";

    private static final List<String> PROTECTED = List.of("tests/", "evaluate.py");

    private static final Map<String, String> PARENT = Map.of(
            "heuristic.py", HEURISTIC,
            "lib/util.py", UTIL,
            "README.md", "# Bin packing\n",
            "tests/test_heuristic.py", "# EVOLVE-BLOCK-START\nassert True\n# EVOLVE-BLOCK-END\n",
            "evaluate.py", "print(1)\n");

    private static final LlmOptions OPTIONS = LlmOptions.parse(Map.of("editable", "lib/util.py,lib/extra.py"));

    // --- SEARCH/REPLACE matching

    @Test
    void anExactMatchIsReplaced() {
        Edited edited = edited("""
                heuristic.py
                <<<<<<< SEARCH
                    return -item
                =======
                    return score - item
                >>>>>>> REPLACE
                """);

        assertThat(edited.changedFiles()).containsOnlyKeys("heuristic.py");
        assertThat(edited.changedFiles().get("heuristic.py"))
                .isEqualTo(HEURISTIC.replace("    return -item\n", "    return score - item\n"));
        assertThat(edited.blocks()).isEqualTo(1);
        assertThat(edited.patches()).extracting(FilePatch::path).containsExactly("heuristic.py");
        assertThat(edited.patches().get(0).diff()).contains("-    return -item\n+    return score - item\n");
    }

    @Test
    void trailingWhitespaceIsToleratedWhenNothingMatchesExactly() {
        Edited edited = edited("heuristic.py\n<<<<<<< SEARCH\n    return -item   \t\n=======\n    return 1\n"
                + ">>>>>>> REPLACE\n");

        assertThat(edited.changedFiles().get("heuristic.py")).contains("    return 1\n").doesNotContain("-item");
    }

    @Test
    void indentationIsToleratedAndTheReplacementReindented() {
        Edited edited = edited("""
                heuristic.py
                <<<<<<< SEARCH
                for b in bins:
                    if b >= item:
                        score = score + 1
                =======
                for b in bins:
                    if b >= item:
                        score = score + b - item
                >>>>>>> REPLACE
                """);

        assertThat(edited.changedFiles().get("heuristic.py")).contains("""
                    score = 0
                    for b in bins:
                        if b >= item:
                            score = score + b - item
                    return -item
                """);
    }

    @Test
    void deeperIndentationInTheAnswerIsReducedToTheFiles() {
        Edited edited = edited("""
                heuristic.py
                <<<<<<< SEARCH
                            if b >= item:
                                score = score + 1
                =======
                            if b > item:
                                score += 2
                >>>>>>> REPLACE
                """);

        assertThat(edited.changedFiles().get("heuristic.py")).contains("""
                        if b > item:
                            score += 2
                """);
    }

    @Test
    void blankLinesPaddingTheBlockAreDroppedWhenTheFileHasNone() {
        Edited edited = edited("heuristic.py\n<<<<<<< SEARCH\n\n    score = 0\n    for b in bins:\n\n=======\n\n"
                + "    score = 2\n    for b in bins:\n\n>>>>>>> REPLACE\n");

        assertThat(edited.changedFiles().get("heuristic.py"))
                .isEqualTo(HEURISTIC.replace("    score = 0\n", "    score = 2\n"));
    }

    @Test
    void aSearchMatchingNothingNamesTheFileAndTheClosestLines() {
        Refused refused = refused("""
                heuristic.py
                <<<<<<< SEARCH
                    for bin in bins:
                        if bin >= item:
                =======
                    pass
                >>>>>>> REPLACE
                """);

        assertThat(refused.rule()).isEqualTo(Rule.NO_MATCH);
        assertThat(refused.reason()).startsWith("no-match: the SEARCH block on answer line 2 matches nothing in "
                + "heuristic.py").contains("lines 6-7:\n6:     for b in bins:\n7:         if b >= item:\n");
        assertThat(refused.violations()).containsExactly("heuristic.py");
    }

    @Test
    void aSearchMatchingTwiceIsAmbiguousWithItsLineNumbers() {
        Map<String, String> parent = Map.of("h.py", "# EVOLVE-BLOCK-START\nx = 0\ny = 1\nx = 0\n# EVOLVE-BLOCK-END\n");

        Refused refused = refused(parent, OPTIONS, false, "h.py\n<<<<<<< SEARCH\nx = 0\n=======\nx = 2\n"
                + ">>>>>>> REPLACE\n");

        assertThat(refused.rule()).isEqualTo(Rule.AMBIGUOUS_MATCH);
        assertThat(refused.reason()).contains("matches h.py 2 times (at lines 2, 4)");
        assertThat(refused.violations()).containsExactly("h.py:2-2", "h.py:4-4");
    }

    @Test
    void ofSeveralMatchesTheOneInsideARegionIsMeant() {
        Map<String, String> parent = Map.of("h.py", "x = 0\n# EVOLVE-BLOCK-START\nx = 0\n# EVOLVE-BLOCK-END\nx = 0\n");

        Edited edited = edited(parent, OPTIONS, false, "h.py\n<<<<<<< SEARCH\nx = 0\n=======\nx = 3\n>>>>>>> REPLACE\n");

        assertThat(edited.changedFiles().get("h.py"))
                .isEqualTo("x = 0\n# EVOLVE-BLOCK-START\nx = 3\n# EVOLVE-BLOCK-END\nx = 0\n");
    }

    @Test
    void severalBlocksApplyInOrderAcrossFiles() {
        Edited edited = edited("""
                Two changes to the heuristic and one to the helper.

                ```python
                heuristic.py
                <<<<<<< SEARCH
                    return -item
                =======
                    return clamp(score) - item
                >>>>>>> REPLACE
                ```

                ```python
                heuristic.py
                <<<<<<< SEARCH
                    return clamp(score) - item
                =======
                    return clamp(score) - 2 * item
                >>>>>>> REPLACE
                ```

                **lib/util.py**
                ```python
                <<<<<<< SEARCH
                    return max(0, x)
                =======
                    return min(1, max(0, x))
                >>>>>>> REPLACE
                ```
                """);

        assertThat(edited.blocks()).isEqualTo(3);
        assertThat(edited.changedFiles()).containsOnlyKeys("heuristic.py", "lib/util.py");
        assertThat(edited.changedFiles().get("heuristic.py")).contains("    return clamp(score) - 2 * item\n");
        assertThat(edited.changedFiles().get("lib/util.py")).isEqualTo("def clamp(x):\n    return min(1, max(0, x))\n");
        assertThat(edited.patches()).extracting(FilePatch::path).containsExactly("heuristic.py", "lib/util.py");
    }

    @Test
    void aBlockWithoutPathReusesThePreviousBlocksPath() {
        Edited edited = edited("""
                heuristic.py
                <<<<<<< SEARCH
                    score = 0
                =======
                    score = 1
                >>>>>>> REPLACE
                Then the return:
                <<<<<<< SEARCH
                    return -item
                =======
                    return score
                >>>>>>> REPLACE
                """);

        assertThat(edited.changedFiles().get("heuristic.py")).contains("    score = 1\n").contains("    return score\n");
    }

    @Test
    void theOnlyEditableFileNeedsNoPath() {
        Map<String, String> parent = Map.of("h.py", "# EVOLVE-BLOCK-START\nx = 0\n# EVOLVE-BLOCK-END\n");

        Edited edited = edited(parent, LlmOptions.defaults(), false,
                "<<<<<<< SEARCH\nx = 0\n=======\nx = 1\n>>>>>>> REPLACE\n");

        assertThat(edited.changedFiles()).containsOnlyKeys("h.py");
    }

    @Test
    void windowsLineEndingsInTheAnswerAreRead() {
        Edited edited = edited("heuristic.py\r\n<<<<<<< SEARCH\r\n    return -item\r\n=======\r\n    return 0\r\n"
                + ">>>>>>> REPLACE\r\n");

        assertThat(edited.changedFiles().get("heuristic.py")).contains("    return 0\n");
    }

    @Test
    void aFileWithWindowsLineEndingsKeepsThem() {
        Map<String, String> parent = Map.of("h.py", "# EVOLVE-BLOCK-START\r\nx = 0\r\ny = 0\r\n# EVOLVE-BLOCK-END\r\n");

        Edited edited = edited(parent, OPTIONS, false, "h.py\n<<<<<<< SEARCH\nx = 0\n=======\nx = 1\nz = 2\n"
                + ">>>>>>> REPLACE\n");

        assertThat(edited.changedFiles().get("h.py"))
                .isEqualTo("# EVOLVE-BLOCK-START\r\nx = 1\r\nz = 2\r\ny = 0\r\n# EVOLVE-BLOCK-END\r\n");
        assertThat(edited.patches().get(0).content()).isEqualTo(edited.changedFiles().get("h.py"));
    }

    // --- edit checks

    @Test
    void removingAMarkerIsRefused() {
        Refused refused = refused("""
                heuristic.py
                <<<<<<< SEARCH
                    return -item
                # EVOLVE-BLOCK-END
                =======
                    return -item
                >>>>>>> REPLACE
                """);

        assertThat(refused.rule()).isEqualTo(Rule.MARKERS_CHANGED);
        assertThat(refused.reason()).contains("EVOLVE-BLOCK-START on line 3 is never closed");
        assertThat(refused.violations()).contains("heuristic.py");
    }

    @Test
    void changingAMarkerLineIsRefused() {
        Refused refused = refused("""
                heuristic.py
                <<<<<<< SEARCH
                # EVOLVE-BLOCK-END
                =======
                # EVOLVE-BLOCK-END (longer now)
                >>>>>>> REPLACE
                """);

        assertThat(refused.rule()).isEqualTo(Rule.MARKERS_CHANGED);
        assertThat(refused.reason()).contains("[# EVOLVE-BLOCK-START, # EVOLVE-BLOCK-END]")
                .contains("outside-region: heuristic.py: line 10 changed outside every region (editable: lines 4-9)");
        assertThat(refused.violations()).containsExactly("heuristic.py", "heuristic.py:10");
    }

    @Test
    void addingAMarkerInsideARegionIsRefused() {
        Refused refused = refused("""
                heuristic.py
                <<<<<<< SEARCH
                    return -item
                =======
                    # EVOLVE-BLOCK-START
                    return -item
                >>>>>>> REPLACE
                """);

        assertThat(refused.rule()).isEqualTo(Rule.MARKERS_CHANGED);
        assertThat(refused.reason()).contains("regions do not nest");
    }

    @Test
    void anEditOutsideTheRegionsIsRefusedWithItsLines() {
        Refused refused = refused("""
                heuristic.py
                <<<<<<< SEARCH
                import math
                =======
                import os
                >>>>>>> REPLACE
                heuristic.py
                <<<<<<< SEARCH
                def main():
                    return 0
                =======
                def main():
                    return 0

                main()
                >>>>>>> REPLACE
                """);

        assertThat(refused.rule()).isEqualTo(Rule.OUTSIDE_REGION);
        assertThat(refused.violations()).containsExactly("heuristic.py:1", "heuristic.py:13");
        assertThat(refused.reason()).contains("heuristic.py: line 1 changed outside every region (editable: lines "
                + "4-9)").contains("heuristic.py: lines inserted after line 13, outside every region");
    }

    @Test
    void anInsertionRightInsideTheMarkersIsAllowed() {
        Edited edited = edited("""
                heuristic.py
                <<<<<<< SEARCH
                # EVOLVE-BLOCK-START
                =======
                # EVOLVE-BLOCK-START
                CONSTANT = 3
                >>>>>>> REPLACE
                """);

        assertThat(edited.changedFiles().get("heuristic.py")).contains("# EVOLVE-BLOCK-START\nCONSTANT = 3\ndef");
    }

    @Test
    void aProtectedFileIsRefusedEvenWithMarkersAndUnderAnyPathSpelling() {
        for (String path : List.of("tests/test_heuristic.py", "./tests/../tests/test_heuristic.py",
                "TESTS/test_heuristic.py")) {
            Refused refused = refused(path + "\n<<<<<<< SEARCH\nassert True\n=======\nassert 1\n>>>>>>> REPLACE\n");

            assertThat(refused.rule()).as(path).isEqualTo(Rule.PROTECTED_PATH);
            assertThat(refused.reason()).contains("is protected (tests/)");
        }
    }

    @Test
    void everyOffendingPathOfAnAnswerIsNamed() {
        Refused refused = refused("""
                evaluate.py
                <<<<<<< SEARCH
                print(1)
                =======
                print(0)
                >>>>>>> REPLACE
                tests/test_heuristic.py
                <<<<<<< SEARCH
                assert True
                =======
                pass
                >>>>>>> REPLACE
                README.md
                <<<<<<< SEARCH
                # Bin packing
                =======
                # Hacked
                >>>>>>> REPLACE
                """);

        assertThat(refused.rule()).isEqualTo(Rule.PROTECTED_PATH);
        assertThat(refused.violations()).containsExactly("evaluate.py", "tests/test_heuristic.py", "README.md");
        assertThat(refused.reason()).contains("not-editable: README.md holds no EVOLVE-BLOCK-START region");
    }

    @Test
    void pathsAreNormalisedAndTraversalIsRefused() {
        Edited edited = edited("./lib/../heuristic.py\n<<<<<<< SEARCH\n    return -item\n=======\n    return 0\n"
                + ">>>>>>> REPLACE\n");
        assertThat(edited.changedFiles()).containsOnlyKeys("heuristic.py");

        for (String path : List.of("../heuristic.py", "lib/../../etc/passwd", "/etc/passwd", "..\\heuristic.py")) {
            Refused refused = refused(path + "\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n");
            assertThat(refused.rule()).as(path).isEqualTo(Rule.PATH_OUTSIDE_TREE);
            assertThat(refused.violations()).containsExactly(path);
        }
    }

    @Test
    void aNewFileIsRefusedUnlessListedAsEditable() {
        Refused refused = refused("new_module.py\n<<<<<<< SEARCH\n=======\nx = 1\n>>>>>>> REPLACE\n");
        assertThat(refused.rule()).isEqualTo(Rule.NEW_FILE);
        assertThat(refused.violations()).containsExactly("new_module.py");

        Edited edited = edited("lib/extra.py\n<<<<<<< SEARCH\n=======\nEXTRA = 1\n>>>>>>> REPLACE\n");
        assertThat(edited.changedFiles()).containsExactly(Map.entry("lib/extra.py", "EXTRA = 1\n"));
        assertThat(edited.patches().get(0).diff()).contains("--- /dev/null\n+++ b/lib/extra.py\n");
    }

    @Test
    void anAnswerThatChangesNothingIsRefused() {
        Refused refused = refused("heuristic.py\n<<<<<<< SEARCH\n    return -item\n=======\n    return -item\n"
                + ">>>>>>> REPLACE\n");

        assertThat(refused.rule()).isEqualTo(Rule.NO_CHANGE);
    }

    // --- malformed, empty and huge answers

    @Test
    void aBlockWithoutDividerIsMalformed() {
        Refused refused = refused("heuristic.py\n<<<<<<< SEARCH\n    return -item\n    return 0\n>>>>>>> REPLACE\n");

        assertThat(refused.rule()).isEqualTo(Rule.MALFORMED_BLOCK);
        assertThat(refused.reason()).contains("has no ======= line");
        assertThat(refused.violations()).containsExactly("answer:2");
    }

    @Test
    void anUnterminatedBlockIsMalformed() {
        Refused refused = refused("heuristic.py\n<<<<<<< SEARCH\n    return -item\n=======\n    return 0\n");

        assertThat(refused.rule()).isEqualTo(Rule.MALFORMED_BLOCK);
        assertThat(refused.reason()).contains("is not terminated by >>>>>>> REPLACE");
    }

    @Test
    void strayMarkersAndNamelessBlocksAreMalformed() {
        assertThat(refused("text\n=======\nmore\n").reason()).contains("answer line 2 ('=======') belongs to no");
        assertThat(refused("<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n").reason())
                .contains("names no file");
    }

    @Test
    void emptyAndBlankAnswersAreRefused() {
        for (String answer : new String[] {null, "", "  \n\t\n"}) {
            Refused refused = refused(answer);
            assertThat(refused.rule()).isEqualTo(Rule.EMPTY_ANSWER);
            assertThat(refused.violations()).containsExactly("answer");
        }
    }

    @Test
    void aHugeAnswerIsRefusedUnread() {
        String block = "heuristic.py\n<<<<<<< SEARCH\n    return -item\n=======\n    return 0\n>>>>>>> REPLACE\n";
        String huge = block + "#".repeat(AnswerInterpreter.DEFAULT_MAX_ANSWER_CHARS);

        assertThat(refused(huge).rule()).isEqualTo(Rule.ANSWER_TOO_LARGE);
        AnswerVerdict small = AnswerInterpreter.interpret(block, PARENT, regions(PARENT, OPTIONS), false, PROTECTED,
                block.length() - 1);
        assertThat(small).isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.reason())
                .isEqualTo("answer-too-large: the answer has " + block.length() + " characters, more than the "
                        + (block.length() - 1) + " read; answer with SEARCH/REPLACE blocks of the lines that change"));
    }

    @Test
    void proseWithoutBlocksIsRefused() {
        Refused refused = refused("I would change the priority to prefer fuller bins.");
        assertThat(refused.rule()).isEqualTo(Rule.NO_BLOCKS);
        assertThat(refused.reason()).doesNotContain("FILE:");

        AnswerVerdict allowed = AnswerInterpreter.interpret("nothing", PARENT, regions(PARENT, OPTIONS), true,
                PROTECTED);
        assertThat(((Refused) allowed).reason()).contains("FILE: <path>");
    }

    // --- full-file rewrites

    @Test
    void aFullFileRewriteIsAppliedWhenAllowed() {
        String answer = """
                FILE: lib/util.py
                ```python
                def clamp(x):
                    ```not a fence```
                    return min(1, x)
                ```
                """;

        Edited edited = edited(PARENT, OPTIONS, true, answer);

        assertThat(edited.changedFiles())
                .containsExactly(Map.entry("lib/util.py", "def clamp(x):\n    ```not a fence```\n    return min(1, x)\n"));
        Refused refused = refused(answer);
        assertThat(refused.rule()).isEqualTo(Rule.FULL_FILE_REWRITES_OFF);
        assertThat(refused.violations()).containsExactly("lib/util.py");
    }

    @Test
    void aFullFileRewriteOfARegionFileMayOnlyChangeTheRegion() {
        String inside = HEURISTIC.replace("    return -item\n", "    return score\n");
        String outside = inside.replace("import math\n", "import os\n");

        Edited edited = edited(PARENT, OPTIONS, true, "FILE: heuristic.py\n```\n" + inside + "```\n");
        assertThat(edited.changedFiles()).containsExactly(Map.entry("heuristic.py", inside));

        Refused refused = refused(PARENT, OPTIONS, true, "FILE: heuristic.py\n```\n" + outside + "```\n");
        assertThat(refused.rule()).isEqualTo(Rule.OUTSIDE_REGION);
        assertThat(refused.violations()).containsExactly("heuristic.py:1");
    }

    @Test
    void aFullFileRewriteKeepsTheParentsMissingFinalNewline() {
        Map<String, String> parent = Map.of("lib/util.py", "x = 1");

        Edited edited = edited(parent, OPTIONS, true, "FILE: lib/util.py\n```\nx = 2\n```\n");

        assertThat(edited.changedFiles()).containsExactly(Map.entry("lib/util.py", "x = 2"));
    }

    @Test
    void aFileLabelBeforeASearchBlockOnlyNamesTheFile() {
        for (boolean fullFiles : new boolean[] {false, true}) {
            Edited edited = edited(PARENT, OPTIONS, fullFiles, """
                    File: heuristic.py
                    ```python
                    <<<<<<< SEARCH
                        return -item
                    =======
                        return 0
                    >>>>>>> REPLACE
                    ```
                    FILE: lib/util.py
                    <<<<<<< SEARCH
                        return max(0, x)
                    =======
                        return x
                    >>>>>>> REPLACE
                    """);

            assertThat(edited.changedFiles()).containsOnlyKeys("heuristic.py", "lib/util.py");
        }
    }

    @Test
    void anUnclosedFullFileBlockIsMalformed() {
        Refused refused = refused(PARENT, OPTIONS, true, "FILE: lib/util.py\n```python\nx = 1\n");

        assertThat(refused.rule()).isEqualTo(Rule.MALFORMED_BLOCK);
        assertThat(refused.reason()).contains("is never closed by ```");
    }

    // --- totality

    @Test
    void noAnswerThrows() {
        // Valid answers broken at random: lines dropped, repeated, swapped or foreign lines inserted.
        List<String> valid = List.of("heuristic.py", "```", "<<<<<<< SEARCH", "    return -item", "=======",
                "    return 0", ">>>>>>> REPLACE", "```", "FILE: lib/util.py", "```", "x = 1", "```");
        String[] foreign = {"<<<<<<< SEARCH", "=======", ">>>>>>> REPLACE", "```", "FILE: lib/util.py", "FILE:",
                "# EVOLVE-BLOCK-END", "# EVOLVE-BLOCK-START", "../x", "", "tests/a.py", "import math", "~~~"};
        Random random = new Random(13);
        EditableRegions regions = regions(PARENT, OPTIONS);
        int edits = 0;
        for (int round = 0; round < 300; round++) {
            List<String> lines = new java.util.ArrayList<>(valid);
            for (int mutations = random.nextInt(4); mutations > 0 && !lines.isEmpty(); mutations--) {
                int at = random.nextInt(lines.size());
                switch (random.nextInt(4)) {
                    case 0 -> lines.remove(at);
                    case 1 -> lines.add(at, lines.get(at));
                    case 2 -> java.util.Collections.swap(lines, at, random.nextInt(lines.size()));
                    default -> lines.add(at, foreign[random.nextInt(foreign.length)]);
                }
            }
            String answer = String.join("\n", lines);
            AnswerVerdict verdict = AnswerInterpreter.interpret(answer, PARENT, regions, random.nextBoolean(),
                    PROTECTED);
            if (verdict instanceof Edited edited) {
                assertRoundTrips(PARENT, edited);
                edits++;
            } else {
                assertThat(((Refused) verdict).rule()).as(answer).isNotNull();
            }
        }
        assertThat(edits).as("some of the answers are still valid edits").isPositive();
    }

    // --- helpers

    private static EditableRegions regions(Map<String, String> parent, LlmOptions options) {
        return EditableRegions.find(parent, options, PROTECTED);
    }

    private static Edited edited(String answer) {
        return edited(PARENT, OPTIONS, false, answer);
    }

    private static Edited edited(Map<String, String> parent, LlmOptions options, boolean fullFiles, String answer) {
        AnswerVerdict verdict = AnswerInterpreter.interpret(answer, parent, regions(parent, options), fullFiles,
                PROTECTED);
        assertThat(verdict).isInstanceOf(Edited.class);
        Edited edited = (Edited) verdict;
        assertRoundTrips(parent, edited);
        return edited;
    }

    private static Refused refused(String answer) {
        return refused(PARENT, OPTIONS, false, answer);
    }

    private static Refused refused(Map<String, String> parent, LlmOptions options, boolean fullFiles, String answer) {
        AnswerVerdict verdict = AnswerInterpreter.interpret(answer, parent, regions(parent, options), fullFiles,
                PROTECTED);
        assertThat(verdict).isInstanceOf(Refused.class);
        Refused refused = (Refused) verdict;
        assertThat(refused.rule()).as(refused.reason()).isNotNull();
        return refused;
    }

    /** The patches, applied by the artifact store, give exactly the changed files. */
    private static void assertRoundTrips(Map<String, String> parent, Edited edited) {
        Map<String, String> expected = new TreeMap<>(parent);
        expected.putAll(edited.changedFiles());
        assertThat(PatchesRoundTrip.apply(parent, edited.patches())).isEqualTo(expected);
    }
}
