package dev.seedloop.evaluator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Verdict;

class PromotionRuleTest {

    private static final Objective MINIMIZE = new Objective("val_loss", Direction.MINIMIZE, null);
    private static final Objective MAXIMIZE = new Objective("accuracy", Direction.MAXIMIZE, null);
    private static final PromotionSettings DEFAULTS = PromotionSettings.DEFAULTS;
    private static final UUID CANDIDATE = UUID.fromString("00000000-0000-0000-0000-00000000000c");
    private static final UUID CHAMPION = UUID.fromString("00000000-0000-0000-0000-0000000000aa");

    private static Evidence evidence(Double... values) {
        return new Evidence(CANDIDATE, List.of(values), 0, ValidationResult.PASSED, null);
    }

    private static ChampionRecord champion(String metric, Double heldOut, Double... values) {
        Statistics.Summary s = Statistics.summarize(List.of(values), 0.95);
        return new ChampionRecord(CHAMPION, UUID.fromString("00000000-0000-0000-0000-0000000000ee"),
                new MetricSummary(metric, s.n(), s.mean(), s.stddev(), s.ciLow(), s.ciHigh()), heldOut);
    }

    @Test
    void firstValidResultBecomesChampion() {
        Decision d = EvaluationDecider.decide(evidence(0.5, 0.52), null, MINIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.NEW_CHAMPION);
        assertThat(d.reason()).startsWith("first valid result");
        assertThat(d.summary().n()).isEqualTo(2);
        assertThat(d.pValue()).isNull();
    }

    @Test
    void significantImprovementWhenMinimizing() {
        Decision d = EvaluationDecider.decide(evidence(0.40, 0.41, 0.39), champion("val_loss", null, 0.51, 0.49, 0.52),
                MINIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.NEW_CHAMPION);
        // scipy.stats.ttest_ind(equal_var=False, alternative='less')
        assertThat(d.pValue()).isCloseTo(0.00055160574, within(1e-9));
        assertThat(d.reason()).contains("significant").contains("p=0.000551606");
    }

    @Test
    void betterButNotSignificant() {
        Decision d = EvaluationDecider.decide(evidence(0.50, 0.47, 0.53), champion("val_loss", null, 0.51, 0.49, 0.52),
                MINIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_BETTER);
        assertThat(d.pValue()).isCloseTo(0.37721417, within(1e-7));
        assertThat(d.reason()).contains("is not significant").contains(">= alpha 0.0500000");
    }

    @Test
    void worseIsNotBetter() {
        Decision d = EvaluationDecider.decide(evidence(0.60, 0.61), champion("val_loss", null, 0.51, 0.49),
                MINIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_BETTER);
        assertThat(d.reason()).contains("mean val_loss 0.605000 (n=2) vs champion 0.500000 (n=2): not better when minimizing");
        assertThat(d.pValue()).isNull();
    }

    @Test
    void improvementWithinNoiseFloor() {
        PromotionSettings floor = new PromotionSettings(0.05, 0.01, 1e-9, 0.05, 0.95);
        Decision d = EvaluationDecider.decide(evidence(0.495, 0.495), champion("val_loss", null, 0.5, 0.5), MINIMIZE, floor);
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_BETTER);
        assertThat(d.reason()).contains("within noise floor 0.0100000");
    }

    @Test
    void equalMeansAreWithinTheDefaultRelativeFloor() {
        Decision d = EvaluationDecider.decide(evidence(0.5 + 1e-12), champion("val_loss", null, 0.5), MAXIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_BETTER);
        assertThat(d.reason()).contains("within noise floor");
    }

    @Test
    void validationFailureIsInvalid() {
        Evidence e = new Evidence(CANDIDATE, List.of(0.1, 0.1), 0, ValidationResult.failed("NaN in predictions"), null);
        Decision d = EvaluationDecider.decide(e, null, MINIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(d.reason()).isEqualTo("validation failed: NaN in predictions");
    }

    @Test
    void missingMetricIsInvalid() {
        Evidence e = new Evidence(CANDIDATE, List.of(0.1), 2, ValidationResult.PASSED, null);
        Decision d = EvaluationDecider.decide(e, null, MINIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(d.reason()).isEqualTo("metric 'val_loss' missing in 2 of 3 repeats");
        assertThat(d.summary()).isNull();
    }

    @Test
    void heldOutDegradationBeyondToleranceIsNamedForWhatItIs() {
        // Maximizing held-out accuracy: 0.80 vs 0.90 is 0.10 worse; tolerance 5% of 0.90 = 0.045.
        Evidence e = new Evidence(CANDIDATE, List.of(0.95, 0.96, 0.97), 0, ValidationResult.PASSED, 0.80);
        Decision d = EvaluationDecider.decide(e, champion("accuracy", 0.90, 0.90, 0.91, 0.90), MAXIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.HELD_OUT_DEGRADED);
        assertThat(d.reason()).contains("held-out degraded: 0.800000 vs champion 0.900000");
    }

    @Test
    void aWorseCandidateWithAWorseHeldOutIsNotBetterRatherThanInvalid() {
        // Worse on the training metric too: nothing to suspect, and its value should still inform the search.
        Evidence e = new Evidence(CANDIDATE, List.of(0.80, 0.81, 0.82), 0, ValidationResult.PASSED, 0.70);
        Decision d = EvaluationDecider.decide(e, champion("accuracy", 0.90, 0.90, 0.91, 0.90), MAXIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_BETTER);
        assertThat(d.summary()).isNotNull();
    }

    @Test
    void heldOutDegradationWithinToleranceIsAllowed() {
        Evidence e = new Evidence(CANDIDATE, List.of(0.95, 0.96, 0.97), 0, ValidationResult.PASSED, 0.88);
        Decision d = EvaluationDecider.decide(e, champion("accuracy", 0.90, 0.90, 0.91, 0.90), MAXIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.NEW_CHAMPION);
    }

    @Test
    void directionDecidesWhatBetterMeans() {
        ChampionRecord c = champion("m", null, 0.50, 0.51, 0.49);
        Objective minimize = new Objective("m", Direction.MINIMIZE, null);
        Objective maximize = new Objective("m", Direction.MAXIMIZE, null);
        assertThat(EvaluationDecider.decide(evidence(0.70, 0.71, 0.69), c, maximize, DEFAULTS).verdict())
                .isEqualTo(Verdict.NEW_CHAMPION);
        assertThat(EvaluationDecider.decide(evidence(0.70, 0.71, 0.69), c, minimize, DEFAULTS).verdict())
                .isEqualTo(Verdict.NOT_BETTER);
        assertThat(EvaluationDecider.decide(evidence(0.30, 0.31, 0.29), c, minimize, DEFAULTS).verdict())
                .isEqualTo(Verdict.NEW_CHAMPION);
    }

    @Test
    void singleSampleCandidatePromotesOnTheNoiseFloorAloneAndSaysSo() {
        Decision d = EvaluationDecider.decide(evidence(0.45), champion("val_loss", null, 0.51, 0.49, 0.52),
                MINIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.NEW_CHAMPION);
        assertThat(d.pValue()).isNull();
        assertThat(d.reason()).contains("n=1 on one side, so no significance test");
        assertThat(d.summary().ciLow()).isEqualTo(d.summary().ciHigh());
    }

    @Test
    void singleSampleChampionAlsoSkipsTheTest() {
        Decision d = EvaluationDecider.decide(evidence(0.70, 0.72), champion("accuracy", null, 0.69), MAXIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.NEW_CHAMPION);
        assertThat(d.reason()).contains("no significance test");
    }

    @Test
    void singleSampleStillNeedsToClearTheFloor() {
        PromotionSettings floor = new PromotionSettings(0.05, 0.05, 0, 0.05, 0.95);
        Decision d = EvaluationDecider.decide(evidence(0.72), champion("accuracy", null, 0.69), MAXIMIZE, floor);
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_BETTER);
    }

    @Test
    void championCannotBeatItself() {
        Evidence e = new Evidence(CHAMPION, List.of(0.1, 0.1), 0, ValidationResult.PASSED, null);
        Decision d = EvaluationDecider.decide(e, champion("val_loss", null, 0.5, 0.5), MINIMIZE, DEFAULTS);
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_BETTER);
        assertThat(d.reason()).contains("already the champion");
    }
}
