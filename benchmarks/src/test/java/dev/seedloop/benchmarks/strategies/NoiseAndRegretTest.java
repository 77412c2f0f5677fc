package dev.seedloop.benchmarks.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class NoiseAndRegretTest {

    @Test
    void aNoisyVariantDrawsItsNoisePerSeedAndTheNoiselessOneNone() {
        BenchmarkFunction noisy = BenchmarkFunction.hartmann6().noisy();
        assertThat(noisy.name()).isEqualTo("Hartmann-6 noisy");
        assertThat(noisy.base()).isEqualTo("Hartmann-6");
        assertThat(noisy.noise(3, 2000)).isEqualTo(noisy.noise(3, 2000)).isNotEqualTo(noisy.noise(4, 2000));
        double[] e = noisy.noise(3, 2000);
        double mean = Arrays.stream(e).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(e).map(v -> (v - mean) * (v - mean)).sum() / (e.length - 1));
        assertThat(mean).isCloseTo(0, within(0.02));
        assertThat(sd).isCloseTo(0.15, within(0.01));
        assertThat(BenchmarkFunction.hartmann6().noise(3, 10)).containsOnly(0.0);
    }

    @Test
    void regretIsTheNoiselessValueOfTheBestObservedPointNotTheBestObservation() {
        BenchmarkFunction branin = BenchmarkFunction.branin();
        double[] optimum = {Math.PI, 2.275};
        double[] poor = {0, 0};
        // The noise made the poor point look best at the second evaluation: it is what a user would pick.
        StrategyBenchmark.Trace trace = new StrategyBenchmark.Trace(List.of(optimum, poor),
                new double[]{branin.evaluate(optimum) + 1, -100});
        double[] regret = StrategyBenchmark.regret(branin, trace);
        assertThat(regret[0]).isCloseTo(0, within(1e-5));
        assertThat(regret[1]).isCloseTo(branin.evaluate(poor) - branin.optimum(), within(1e-9)).isGreaterThan(10);
    }
}
