package dev.seedloop.benchmarks.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Optuna script's half of the benchmark without Optuna: its copies of the functions (plain Python, no Optuna)
 * against the Java ones, and the checks the Java side applies to its answers. Needs {@code python3} on the PATH,
 * as the benchmark does; a machine without it fails here rather than skipping.
 */
class OptunaScriptTest {

    @Test
    void thePythonFunctionsAgreeWithTheJavaOnesAtTheMinimisersAndFixedPoints() throws Exception {
        List<String> names = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        for (BenchmarkFunction f : BenchmarkFunction.standard()) {
            int d = f.space().parameters().size();
            for (double t : new double[]{0, 0.137, 0.5, 0.861, 1}) {
                double[] x = new double[d];
                for (int j = 0; j < d; j++) {
                    var p = f.space().parameters().get(j);
                    x[j] = p.low() + ((t + 0.29 * j) % 1.0) * (p.high() - p.low());
                }
                names.add(f.base());
                points.add(x);
                expected.add(f.evaluate(x));
            }
        }
        names.addAll(List.of("Branin", "Hartmann-6", "Rosenbrock-5"));
        points.addAll(List.of(new double[]{Math.PI, 2.275},
                new double[]{0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573}, new double[]{1, 1, 1, 1, 1}));
        expected.addAll(List.of(0.397887, -3.32237, 0.0));

        double[] python = new OptunaTpe("python3").evaluate(names, points);

        assertThat(python).hasSize(expected.size());
        for (int i = 0; i < python.length; i++) {
            assertThat(python[i]).as("%s at point %d", names.get(i), i)
                    .isCloseTo(expected.get(i), org.assertj.core.api.Assertions.within(
                            i < python.length - 3 ? 1e-9 * Math.max(1, Math.abs(expected.get(i))) : 1e-4));
        }
    }

    @Test
    void anAnswerWhoseValuesDoNotMatchTheJavaFunctionIsRefused() {
        BenchmarkFunction branin = BenchmarkFunction.branin();
        ObjectNode run = new ObjectMapper().createObjectNode().put("function", "Branin").put("seed", 1);
        run.putArray("points").addArray().add(Math.PI).add(2.275);
        run.putArray("observed").add(branin.optimum() + 1e-3);

        assertThatThrownBy(() -> OptunaTpe.checked(branin, 1, 1, run))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("differs between Java");

        ObjectNode good = run.deepCopy();
        good.putArray("observed").add(branin.evaluate(new double[]{Math.PI, 2.275}));
        assertThat(OptunaTpe.checked(branin, 1, 1, good).observed()).hasSize(1);
    }

    @Test
    void aMissingInterpreterSaysHowToInstallOptuna() {
        assertThatThrownBy(() -> new OptunaTpe("/nonexistent/python3").evaluate(List.of("Branin"),
                List.of(new double[]{0, 0})))
                .isInstanceOf(OptunaTpe.Unavailable.class).hasMessageContaining("pip install optuna");
    }
}
