package dev.seedloop.evaluator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void tQuantilesMatchPublishedTables() {
        assertThat(Statistics.studentTQuantile(0.975, 4)).isCloseTo(2.776445, within(1e-6));
        assertThat(Statistics.studentTQuantile(0.975, 9)).isCloseTo(2.262157, within(1e-6));
        assertThat(Statistics.studentTQuantile(0.975, 29)).isCloseTo(2.045230, within(1e-6));
        assertThat(Statistics.studentTQuantile(0.025, 4)).isCloseTo(-2.776445, within(1e-6));
        assertThat(Statistics.studentTQuantile(0.5, 7)).isZero();
    }

    @Test
    void tCdfMatchesReferenceAtFractionalDegreesOfFreedom() {
        // Reference values from scipy.stats.t.cdf.
        assertThat(Statistics.studentTCdf(1.5, 3.3)).isCloseTo(0.8887484016, within(1e-9));
        assertThat(Statistics.studentTCdf(-0.7, 2.5)).isCloseTo(0.2717024716, within(1e-9));
        assertThat(Statistics.studentTCdf(0, 5)).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void incompleteBetaMatchesReference() {
        assertThat(Statistics.regularizedIncompleteBeta(0.3, 2.5, 1.5)).isCloseTo(0.0889437232, within(1e-9));
        assertThat(Statistics.regularizedIncompleteBeta(0.5, 3, 3)).isCloseTo(0.5, within(1e-12));
        assertThat(Statistics.logGamma(5)).isCloseTo(Math.log(24), within(1e-12));
    }

    @Test
    void summaryOfThreeRepeats() {
        Statistics.Summary s = Statistics.summarize(List.of(0.0431, 0.0405, 0.04), 0.95);
        assertThat(s.n()).isEqualTo(3);
        assertThat(s.mean()).isCloseTo(0.0412, within(1e-12));
        assertThat(s.stddev()).isCloseTo(0.001664331698, within(1e-12));
        assertThat(s.ciLow()).isCloseTo(0.037065570865, within(1e-10));
        assertThat(s.ciHigh()).isCloseTo(0.045334429135, within(1e-10));
        assertThat(s.singleSample()).isFalse();
    }

    @Test
    void singleSampleHasNoSpreadAndIsFlagged() {
        Statistics.Summary s = Statistics.summarize(List.of(3.5), 0.95);
        assertThat(s).isEqualTo(new Statistics.Summary(1, 3.5, 0.0, 3.5, 3.5, true));
    }

    @Test
    void identicalRepeatsGiveAZeroWidthInterval() {
        Statistics.Summary s = Statistics.summarize(List.of(0.1, 0.1, 0.1), 0.95);
        assertThat(s.stddev()).isZero();
        assertThat(s.ciLow()).isEqualTo(s.mean());
        assertThat(s.ciHigh()).isEqualTo(s.mean());
    }

    @Test
    void welchAgainstHandComputedExample() {
        // a: mean 20.12, var 0.082; b: mean 19.30, var 0.0666…
        // se² = 0.082/5 + 0.0666…/4 = 0.0330667; t = 0.82 / 0.181843 = 4.509399
        // df = se⁴ / ((0.0164)²/4 + (0.0166…)²/3) = 6.840935; one-sided p = 0.0014655 (scipy agrees)
        Statistics.WelchTest w = Statistics.welch(List.of(20.1, 19.8, 20.5, 20.3, 19.9), List.of(19.2, 19.6, 19.0, 19.4));
        assertThat(w.t()).isCloseTo(4.509399, within(1e-6));
        assertThat(w.df()).isCloseTo(6.840935, within(1e-6));
        assertThat(w.pGreater()).isCloseTo(0.0014655345, within(1e-9));
        assertThat(w.pLess()).isCloseTo(1 - 0.0014655345, within(1e-9));
    }

    @Test
    void welchWithoutSpreadIsDecidedByTheMeans() {
        assertThat(Statistics.welch(2, 0, 3, 1, 0, 3).pGreater()).isZero();
        assertThat(Statistics.welch(1, 0, 3, 2, 0, 3).pGreater()).isEqualTo(1.0);
        assertThat(Statistics.welch(1, 0, 3, 1, 0, 3).pGreater()).isEqualTo(0.5);
    }

    @Test
    void rejectsWhatItCannotCompute() {
        assertThatThrownBy(() -> Statistics.mean(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Statistics.welch(1, 1, 1, 1, 1, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Statistics.studentTQuantile(1.0, 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
