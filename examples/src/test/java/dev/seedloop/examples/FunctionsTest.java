package dev.seedloop.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionsTest {

    @TempDir
    Path tmp;

    private Programs.Result run(Map<String, ?> params, Map<String, String> env, String function) {
        Path ws = Programs.copyWorkspace("functions/workspace", tmp);
        Programs.writeParams(ws, params);
        return Programs.runJava(ws, env, "Functions.java", function);
    }

    private static Map<String, Object> xs(double... values) {
        Map<String, Object> params = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            params.put("x" + (i + 1), values[i]);
        }
        return params;
    }

    @Test
    void braninAtAKnownOptimum() {
        Programs.Result r = run(xs(Math.PI, 2.275), Map.of(), "branin");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.metric("value")).isCloseTo(0.397887, within(1e-5));
    }

    @Test
    void hartmann6AtItsOptimum() {
        Programs.Result r = run(xs(0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573), Map.of(), "hartmann6");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.metric("value")).isCloseTo(-3.32237, within(1e-4));
    }

    @Test
    void rosenbrock5AtOnesIsZeroAndNoiseIsSeeded() {
        Programs.Result exact = run(xs(1, 1, 1, 1, 1), Map.of(), "rosenbrock5");
        assertThat(exact.exitCode()).as(exact.stderr()).isZero();
        assertThat(exact.metric("value")).isEqualTo(0.0);

        Programs.Result noisy = run(xs(1, 1, 1, 1, 1), Map.of("NOISE", "0.5", "SEEDLOOP_SEED", "3"), "rosenbrock5");
        assertThat(noisy.exitCode()).as(noisy.stderr()).isZero();
        double expected = 0.5 * new java.util.Random(3).nextGaussian();
        assertThat(noisy.metric("value")).isNotZero().isCloseTo(expected, within(1e-8));
    }

    @Test
    void aMissingParameterIsAnError() {
        Programs.Result r = run(xs(1.0), Map.of(), "branin");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("x2 is missing");
    }
}
