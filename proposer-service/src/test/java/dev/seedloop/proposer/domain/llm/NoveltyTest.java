package dev.seedloop.proposer.domain.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class NoveltyTest {

    private static final String CODE = "def f(x):\n    y = x * 2\n    return y + 1\n\ndef g():\n    return 0\n";

    @Test
    void identicalCodeIsOneAndBlankLinesOrTrailingSpacesDoNotCount() {
        assertThat(Novelty.similarity(Map.of("a.py", CODE), Map.of("a.py", CODE))).isEqualTo(1.0);
        assertThat(Novelty.similarity(Map.of("a.py", CODE), Map.of("a.py", CODE.replace("\n\n", "\n\n\n")
                .replace("* 2\n", "* 2   \n")))).isEqualTo(1.0);
        assertThat(Novelty.similarity(Map.of(), Map.of())).isEqualTo(1.0);
    }

    @Test
    void theRatioCountsCommonLinesOfBothSides() {
        // 5 non-blank lines each, 4 in common: 2 * 4 / 10.
        String changed = CODE.replace("    y = x * 2\n", "    y = x * 3\n");

        assertThat(Novelty.similarity(Map.of("a.py", CODE), Map.of("a.py", changed))).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void symmetricBoundedAndOrderSensitive() {
        Map<String, String> a = Map.of("a.py", "a\nb\nc\n");
        Map<String, String> b = Map.of("a.py", "c\nb\na\n", "b.py", "z\n");

        double ab = Novelty.similarity(a, b);

        assertThat(ab).isEqualTo(Novelty.similarity(b, a)).isBetween(0.0, 1.0);
        // One line of the reversed file is in common (a longest common subsequence of length 1): 2 * 1 / 7.
        assertThat(ab).isCloseTo(2.0 / 7, within(1e-9));
        assertThat(Novelty.similarity(Map.of("a.py", "x\n"), Map.of("b.py", "x\n"))).isEqualTo(0.0);
    }

    @Test
    void aCandidateTooCloseToASiblingIsNotNovel() {
        Map<String, String> candidate = Map.of("a.py", CODE.replace("+ 1", "+ 2"));
        List<Map<String, String>> siblings = List.of(Map.of("a.py", "print('other')\n"), Map.of("a.py", CODE));

        Novelty.Verdict verdict = Novelty.check(candidate, siblings, 0.75);

        assertThat(verdict.novel()).isFalse();
        assertThat(verdict.closestSibling()).isEqualTo(1);
        assertThat(verdict.similarity()).isCloseTo(0.8, within(1e-9));
        assertThat(verdict.reason()).isEqualTo("80.0% of its lines are shared with sibling 1 (threshold 75.0%): not run");
        assertThat(Novelty.check(candidate, siblings, 0.9).novel()).isTrue();
        assertThat(Novelty.check(candidate, siblings, 0.9).reason())
                .isEqualTo("the closest sibling, 1, shares 80.0% of its lines, below the threshold 90.0%");
    }

    @Test
    void thresholdOneRefusesOnlyTheSameCode() {
        Map<String, String> candidate = Map.of("a.py", CODE);

        assertThat(Novelty.check(candidate, List.of(Map.of("a.py", CODE + "x = 1\n")), 1.0).novel()).isTrue();
        Novelty.Verdict same = Novelty.check(candidate, List.of(Map.of("a.py", CODE)), 1.0);
        assertThat(same.novel()).isFalse();
        assertThat(same.reason()).isEqualTo("the same code as sibling 0 (threshold 100.0%): not run");
    }

    @Test
    void withoutSiblingsEveryCandidateIsNovel() {
        Novelty.Verdict verdict = Novelty.check(Map.of("a.py", CODE), List.of(), 0.5);

        assertThat(verdict.novel()).isTrue();
        assertThat(verdict.closestSibling()).isEqualTo(-1);
        assertThatThrownBy(() -> Novelty.check(Map.of(), List.of(), 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void changedFilesAreCompletedFromTheParent() {
        Map<String, String> parent = Map.of("a.py", CODE, "b.py", "x = 1\ny = 2\n");
        Map<String, String> candidate = Map.of("a.py", CODE.replace("+ 1", "+ 5"));
        Map<String, String> sibling = Map.of("b.py", "x = 1\ny = 3\n");

        Novelty.Verdict withParent = Novelty.check(parent, candidate, List.of(sibling), 0.95);

        // a.py: 4 of 5 lines common, b.py: 1 of 2 lines common: 2 * 5 / 14.
        assertThat(withParent.similarity()).isCloseTo(10.0 / 14, within(1e-9));
        assertThat(Novelty.check(candidate, List.of(sibling), 0.95).similarity()).isEqualTo(0.0);
    }
}
