package dev.seedloop.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StudyComparisonTest {

    private static StudyComparison.Side side(String id, String direction, int budget, Double value, Double low,
            Double high, Double first) {
        return StudyComparison.side(id, id, "llm (evolve)", "completed", "excess_pct", direction, budget, budget,
                value == null ? null : new StudyComparison.Best(value, low, high), first, 12, 0.25);
    }

    @Test
    void disjointIntervalsGiveADirectionalVerdict() {
        StudyComparison.Side evolved = side("a", "minimize", 8, 3.9, 3.7, 4.1, 5.3);
        StudyComparison.Side sampled = side("b", "minimize", 8, 5.1, 4.9, 5.3, 5.3);

        StudyComparison.Result result = StudyComparison.compare(evolved, sampled);
        assertThat(result.verdict()).isEqualTo(StudyComparison.BETTER);
        assertThat(result.sameBudget()).isTrue();
        assertThat(result.explanation()).contains("do not overlap").contains("study a is better")
                .doesNotContain("budgets differ");
        assertThat(StudyComparison.compare(sampled, evolved).verdict()).isEqualTo(StudyComparison.WORSE);
    }

    @Test
    void aLargerValueIsBetterWhenMaximizing() {
        StudyComparison.Side high = side("a", "maximize", 8, 0.9, 0.85, 0.95, 0.5);
        StudyComparison.Side low = side("b", "maximize", 8, 0.6, 0.55, 0.65, 0.5);
        assertThat(StudyComparison.compare(high, low).verdict()).isEqualTo(StudyComparison.BETTER);
        assertThat(StudyComparison.compare(low, high).verdict()).isEqualTo(StudyComparison.WORSE);
        assertThat(high.improvement()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void overlappingIntervalsShowNoDifferenceEvenWhenTheMeansDiffer() {
        StudyComparison.Result result = StudyComparison.compare(side("a", "minimize", 8, 4.0, 3.5, 4.5, 5.0),
                side("b", "minimize", 8, 4.4, 4.5, 4.9, 5.0));
        assertThat(result.verdict()).isEqualTo(StudyComparison.NO_DIFFERENCE_SHOWN);
        assertThat(result.explanation()).contains("overlap");
    }

    @Test
    void aChampionWithoutAnIntervalShowsNoDifference() {
        StudyComparison.Result result = StudyComparison.compare(side("a", "minimize", 8, 1.0, null, null, 5.0),
                side("b", "minimize", 8, 9.0, 8.9, 9.1, 9.0));
        assertThat(result.verdict()).isEqualTo(StudyComparison.NO_DIFFERENCE_SHOWN);
        assertThat(result.explanation()).contains("study a has no confidence interval").contains("repeats");
    }

    @Test
    void differentObjectivesOrNoChampionAreNotComparable() {
        assertThat(StudyComparison.compare(side("a", "minimize", 8, 1.0, 0.9, 1.1, 2.0),
                side("b", "maximize", 8, 9.0, 8.9, 9.1, 9.0)).verdict()).isEqualTo(StudyComparison.NOT_COMPARABLE);
        StudyComparison.Result none = StudyComparison.compare(side("a", "minimize", 8, 1.0, 0.9, 1.1, 2.0),
                side("b", "minimize", 8, null, null, null, null));
        assertThat(none.verdict()).isEqualTo(StudyComparison.NOT_COMPARABLE);
        assertThat(none.explanation()).contains("Study b has no champion yet");
        assertThat(none.other().improvement()).isNull();
    }

    @Test
    void improvementIsFromTheFirstChampionPositiveWhenBetter() {
        assertThat(side("a", "minimize", 8, 3.85, null, null, 5.14).improvement()).isCloseTo(1.29, within(1e-9));
        assertThat(side("a", "minimize", 8, 5.14, null, null, 5.14).improvement()).isZero();
        assertThat(side("a", "minimize", 8, 5.14, null, null, null).improvement()).isNull();
    }

    @Test
    void aDifferentBudgetIsNamedButDoesNotDecide() {
        StudyComparison.Result result = StudyComparison.compare(side("a", "minimize", 16, 3.9, 3.7, 4.1, 5.3),
                side("b", "minimize", 8, 5.1, 4.9, 5.3, 5.3));
        assertThat(result.sameBudget()).isFalse();
        assertThat(result.verdict()).isEqualTo(StudyComparison.BETTER);
        assertThat(result.explanation()).contains("Their budgets differ: 16 against 8 experiments.");
    }
}
