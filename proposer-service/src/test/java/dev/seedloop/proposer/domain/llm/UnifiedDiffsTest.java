package dev.seedloop.proposer.domain.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.FilePatch;

/** The diffs apply with the implementer's Patches to exactly the new content, final newline included. */
class UnifiedDiffsTest {

    private static final String LONG = IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i)
            .collect(Collectors.joining("\n", "", "\n"));

    @Test
    void aChangeInTheMiddleRoundTrips() {
        roundTrip(LONG, LONG.replace("line 15\n", "line fifteen\nand one more\n"));
    }

    @Test
    void changesAtBothEndsRoundTrip() {
        roundTrip(LONG, LONG.replace("line 1\n", "first\n").replace("line 30\n", "last\n"));
    }

    @Test
    void aFileWithoutFinalNewlineRoundTrips() {
        String before = LONG.substring(0, LONG.length() - 1);
        roundTrip(before, before.replace("line 29", "twenty-nine"));
        roundTrip(before, before.replace("line 3\n", "three\n"));
    }

    @Test
    void onlyTheFinalNewlineChanging() {
        roundTrip(LONG, LONG.substring(0, LONG.length() - 1));
        roundTrip(LONG.substring(0, LONG.length() - 1), LONG);
    }

    @Test
    void theFinalNewlineChangingFarFromTheEdit() {
        String before = LONG.substring(0, LONG.length() - 1);
        roundTrip(before, LONG.replace("line 2\n", "two\n"));
        roundTrip(LONG, before.replace("line 2\n", "two\n"));
    }

    @Test
    void aNewFileAndAnEmptiedFileRoundTrip() {
        Map<String, String> parent = Map.of("keep.py", "x = 1\n", "empty.py", "a\nb\n");
        Map<String, String> child = new TreeMap<>(parent);
        child.put("new/module.py", "def f():\n    return 2\n");
        child.put("empty.py", "");
        List<FilePatch> patches = List.of(
                FilePatch.diff("new/module.py", UnifiedDiffs.diff("new/module.py", null, child.get("new/module.py"))),
                FilePatch.diff("empty.py", UnifiedDiffs.diff("empty.py", "a\nb\n", "")));

        assertThat(PatchesRoundTrip.apply(parent, patches)).isEqualTo(child);
    }

    @Test
    void anEmptyNewFileRoundTrips() {
        String diff = UnifiedDiffs.diff("empty.txt", null, "");

        assertThat(PatchesRoundTrip.apply(Map.of("a", "a\n"), List.of(FilePatch.diff("empty.txt", diff))))
                .isEqualTo(Map.of("a", "a\n", "empty.txt", ""));
    }

    @Test
    void aFileWithCarriageReturnsIsSentWhole() {
        String before = "a\r\nb\r\n";
        String after = "a\r\nc\r\n";

        FilePatch patch = UnifiedDiffs.patch("w.txt", before, after);

        assertThat(patch).isEqualTo(new FilePatch("w.txt", after));
        assertThat(PatchesRoundTrip.apply(Map.of("w.txt", before), List.of(patch))).containsEntry("w.txt", after);
        assertThat(UnifiedDiffs.patch("u.txt", "a\n", "b\n").diff()).isEqualTo(UnifiedDiffs.diff("u.txt", "a\n", "b\n"));
    }

    @Test
    void equalContentsHaveNoDiffAndTheFormIsGits() {
        assertThat(UnifiedDiffs.diff("a.py", "x\n", "x\n")).isEmpty();
        assertThat(UnifiedDiffs.diff("src/a.py", "x\n", "y\n")).isEqualTo("""
                diff --git a/src/a.py b/src/a.py
                --- a/src/a.py
                +++ b/src/a.py
                @@ -1,1 +1,1 @@
                -x
                +y
                """);
    }

    private static void roundTrip(String before, String after) {
        String diff = UnifiedDiffs.diff("src/file.py", before, after);

        Map<String, String> child = PatchesRoundTrip.apply(Map.of("src/file.py", before, "other.py", "o\n"),
                List.of(FilePatch.diff("src/file.py", diff)));

        assertThat(child).containsEntry("src/file.py", after).containsEntry("other.py", "o\n");
    }
}
