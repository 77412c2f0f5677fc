package dev.seedloop.benchmarks.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.proposer.domain.Strategies;
import dev.seedloop.proposer.domain.TpeSearch;

class BenchmarkTest {

    @Test
    void theFunctionsReachTheirStatedOptimaAtTheKnownMinimisers() {
        assertThat(at(BenchmarkFunction.branin(), Math.PI, 2.275)).isCloseTo(0.397887, within(1e-5));
        assertThat(at(BenchmarkFunction.branin(), -Math.PI, 12.275)).isCloseTo(0.397887, within(1e-5));
        assertThat(at(BenchmarkFunction.hartmann6(), 0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573))
                .isCloseTo(-3.32237, within(1e-4));
        assertThat(at(BenchmarkFunction.rosenbrock5(), 1, 1, 1, 1, 1)).isEqualTo(0.0);
    }

    @Test
    void theDefaultStrategyBeatsRandomSearchOnBraninQuickly() throws Exception {
        List<StrategyBenchmark.Row> rows = StrategyBenchmark.evaluate(List.of(BenchmarkFunction.branin()),
                List.of("random", Strategies.DEFAULT), 1, 5, 60, 1, Map.of());
        double random = rows.get(0).medianAt(2);
        double chosen = rows.get(1).medianAt(2);
        assertThat(chosen).isLessThan(random);
    }

    /** Issue #15's gap: the TPE before ADR 0030 had 2.2x Optuna's median regret on Hartmann-6 at 100 evaluations. */
    @Test
    void todaysTpeHalvesTheHartmann6RegretOfTheTpeBeforeAdr0030() throws Exception {
        List<BenchmarkFunction> h6 = List.of(BenchmarkFunction.hartmann6());
        double today = StrategyBenchmark.evaluate(h6, List.of("tpe"), 1, 10, 100, 1, Map.of()).get(0).medianAt(2);
        double before = StrategyBenchmark.evaluate(h6, List.of("tpe"), 1, 10, 100, 1, TpeSearch.BEFORE_ADR_0030)
                .get(0).medianAt(2);
        assertThat(today).isLessThan(before / 2);
    }

    @Test
    void quartilesInterpolateBetweenOrderStatistics() {
        assertThat(StrategyBenchmark.quartiles(new double[]{4, 1, 3, 2, 5})).containsExactly(2, 3, 4);
        assertThat(Arrays.stream(StrategyBenchmark.quartiles(new double[]{1, 2})).boxed().toList())
                .containsExactly(1.25, 1.5, 1.75);
    }

    private static double at(BenchmarkFunction f, double... x) {
        Map<String, Object> point = new LinkedHashMap<>();
        for (int i = 0; i < x.length; i++) {
            point.put("x" + (i + 1), x[i]);
        }
        return f.evaluate(point);
    }
}
