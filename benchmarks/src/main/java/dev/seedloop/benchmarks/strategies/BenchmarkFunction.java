package dev.seedloop.benchmarks.strategies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import dev.seedloop.events.Parameter;
import dev.seedloop.events.SearchSpace;

/**
 * A synthetic objective with a known global minimum, for comparing strategies offline.
 *
 * <p>A noisy variant ({@link #noisy()}) observes {@code f(x) + e} with {@code e ~ N(0, noiseSd^2)} drawn per
 * evaluation from the run's seed ({@link #noise}); its quality is still judged on the noiseless {@code f}.
 *
 * @param name     short label used in reports; the function's own name ({@link #base()}) plus " noisy" when noisy
 * @param space    its domain; parameters are named {@code x1..xd}
 * @param optimum  the global minimum value (of the noiseless function)
 * @param function the noiseless objective over {@code x1..xd}, in that order
 * @param noiseSd  standard deviation of the additive observation noise; 0 for the noiseless function
 * @param typicalNoiseSd the noise {@link #noisy()} adds: a tenth of the gap to the optimum that the best 1% of
 *                 uniformly random points reach (1st percentile of {@code f - optimum} over 100 000 uniform
 *                 points, rounded), so noise blurs good points against very good ones, not good against bad
 */
public record BenchmarkFunction(String name, SearchSpace space, double optimum, ToDoubleFunction<double[]> function,
                                double noiseSd, double typicalNoiseSd) {

    private static final String NOISY = " noisy";

    /** Evaluates a proposed point without noise; the benchmarks are all minimised. */
    public double evaluate(Map<String, Object> point) {
        List<Parameter> parameters = space.parameters();
        double[] x = new double[parameters.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = ((Number) point.get(parameters.get(i).name())).doubleValue();
        }
        return function.applyAsDouble(x);
    }

    /** The noiseless value at coordinates {@code x1..xd}. */
    public double evaluate(double[] x) {
        return function.applyAsDouble(x);
    }

    /** The same function observed through {@link #typicalNoiseSd} of Gaussian noise. */
    public BenchmarkFunction noisy() {
        return new BenchmarkFunction(base() + NOISY, space, optimum, function, typicalNoiseSd, typicalNoiseSd);
    }

    /** The noiseless function's name, also for a noisy variant: what the Optuna script knows it by. */
    public String base() {
        return name.endsWith(NOISY) ? name.substring(0, name.length() - NOISY.length()) : name;
    }

    /**
     * The noise added to evaluations 0..n-1 of the run with {@code seed}: the same for every strategy and for the
     * Optuna side, so they face the same draws; all zero for a noiseless function.
     */
    public double[] noise(long seed, int evaluations) {
        double[] e = new double[evaluations];
        if (noiseSd > 0) {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ base().hashCode());
            for (int i = 0; i < evaluations; i++) {
                e[i] = noiseSd * gaussian(random);
            }
        }
        return e;
    }

    /** Box-Muller with StrictMath, so the draws are the same on every JVM. */
    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * random.nextDouble());
    }

    /** Branin-Hoo on [-5, 10] x [0, 15]; minimum 0.397887 at three points. */
    public static BenchmarkFunction branin() {
        SearchSpace space = new SearchSpace(List.of(
                Parameter.floating("x1", -5, 10, false), Parameter.floating("x2", 0, 15, false)));
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        return new BenchmarkFunction("Branin", space, 0.397887, x -> {
            double term = x[1] - b * x[0] * x[0] + c * x[0] - 6;
            return term * term + 10 * (1 - t) * StrictMath.cos(x[0]) + 10;
        }, 0, 0.05);
    }

    /** Hartmann-6 on [0, 1]^6; minimum -3.32237. */
    public static BenchmarkFunction hartmann6() {
        double[] alpha = {1.0, 1.2, 3.0, 3.2};
        double[][] a = {
                {10, 3, 17, 3.5, 1.7, 8},
                {0.05, 10, 17, 0.1, 8, 14},
                {3, 3.5, 1.7, 10, 17, 8},
                {17, 8, 0.05, 10, 0.1, 14}};
        double[][] p = {
                {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
                {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
                {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};
        return new BenchmarkFunction("Hartmann-6", cube(6, 0, 1), -3.32237, x -> {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) {
                    double d = x[j] - p[i][j];
                    inner += a[i][j] * d * d;
                }
                sum += alpha[i] * StrictMath.exp(-inner);
            }
            return -sum;
        }, 0, 0.15);
    }

    /** Rosenbrock in 5 dimensions on [-5, 10]^5; minimum 0 at (1, ..., 1). */
    public static BenchmarkFunction rosenbrock5() {
        return new BenchmarkFunction("Rosenbrock-5", cube(5, -5, 10), 0.0, x -> {
            double sum = 0;
            for (int i = 0; i + 1 < x.length; i++) {
                double a = x[i + 1] - x[i] * x[i];
                double b = 1 - x[i];
                sum += 100 * a * a + b * b;
            }
            return sum;
        }, 0, 500);
    }

    /** The three functions of the standard report, in report order. */
    public static List<BenchmarkFunction> standard() {
        return List.of(branin(), hartmann6(), rosenbrock5());
    }

    /** The standard functions, then their noisy variants. */
    public static List<BenchmarkFunction> standardWithNoise() {
        List<BenchmarkFunction> all = new ArrayList<>(standard());
        standard().forEach(f -> all.add(f.noisy()));
        return List.copyOf(all);
    }

    private static SearchSpace cube(int dims, double low, double high) {
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 1; i <= dims; i++) {
            parameters.add(Parameter.floating("x" + i, low, high, false));
        }
        return new SearchSpace(parameters);
    }
}
