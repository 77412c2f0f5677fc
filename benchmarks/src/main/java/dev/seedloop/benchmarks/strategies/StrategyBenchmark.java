package dev.seedloop.benchmarks.strategies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.seedloop.events.Direction;
import dev.seedloop.proposer.domain.Candidate;
import dev.seedloop.proposer.domain.Observation;
import dev.seedloop.proposer.domain.Strategies;
import dev.seedloop.proposer.domain.Strategy;
import dev.seedloop.proposer.domain.StrategyInput;

/**
 * Offline comparison of the strategies on the {@link BenchmarkFunction#standard()} functions: a
 * sequential propose-evaluate loop per (function, strategy, seed), reported as the median and
 * quartiles of the best value found after 25, 50 and 100 evaluations.
 *
 * <p>Usage: {@code StrategyBenchmark [--seeds N] [--evals N] [--batch N]} (defaults 20, 100, 1).
 * Depends on the events module and the JDK only, so it runs from a plain classpath.
 */
public final class StrategyBenchmark {

    public static final List<String> STRATEGIES = List.of("random", "sobol", "evolutionary", "tpe", Strategies.DEFAULT);
    private static final int[] CHECKPOINTS = {25, 50, 100};

    private StrategyBenchmark() {
    }

    /** Best-so-far after each evaluation of one run. */
    public static double[] run(BenchmarkFunction function, Strategy strategy, long seed, int evaluations, int batch) {
        List<Observation> history = new ArrayList<>();
        double[] bestSoFar = new double[evaluations];
        double best = Double.POSITIVE_INFINITY;
        while (history.size() < evaluations) {
            int count = Math.min(batch, evaluations - history.size());
            StrategyInput input = new StrategyInput(function.space(), Direction.MINIMIZE, seed, history.size(),
                    history, Map.of(), Map.of());
            for (Candidate c : strategy.propose(input, count)) {
                double value = function.evaluate(c.parameters());
                history.add(new Observation(new UUID(seed, c.ordinal()), c.parameters(), value, c.operator()));
                best = Math.min(best, value);
                bestSoFar[history.size() - 1] = best;
            }
        }
        return bestSoFar;
    }

    /** Summary of one (function, strategy) cell: quartiles of best-so-far at each checkpoint. */
    public record Row(String function, String strategy, double[][] quartilesAt) {
        public double medianAt(int checkpointIndex) {
            return quartilesAt[checkpointIndex][1];
        }
    }

    public static List<Row> evaluate(List<BenchmarkFunction> functions, List<String> strategies, int seeds,
                                     int evaluations, int batch) throws Exception {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Map<String, List<Future<double[]>>> runs = new LinkedHashMap<>();
            for (BenchmarkFunction f : functions) {
                for (String s : strategies) {
                    Strategy strategy = Strategies.byName(s);
                    List<Future<double[]>> futures = new ArrayList<>();
                    for (int seed = 1; seed <= seeds; seed++) {
                        long studySeed = seed;
                        futures.add(pool.submit(() -> run(f, strategy, studySeed, evaluations, batch)));
                    }
                    runs.put(f.name() + "\u0000" + s, futures);
                }
            }
            List<Row> rows = new ArrayList<>();
            for (Map.Entry<String, List<Future<double[]>>> e : runs.entrySet()) {
                String[] key = e.getKey().split("\u0000");
                double[][] q = new double[CHECKPOINTS.length][];
                for (int c = 0; c < CHECKPOINTS.length; c++) {
                    int at = Math.min(CHECKPOINTS[c], evaluations) - 1;
                    double[] values = new double[e.getValue().size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = e.getValue().get(i).get()[at];
                    }
                    q[c] = quartiles(values);
                }
                rows.add(new Row(key[0], key[1], q));
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    public static void main(String[] args) throws Exception {
        int seeds = 20;
        int evaluations = 100;
        int batch = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--evals" -> evaluations = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: StrategyBenchmark [--seeds N] [--evals N] [--batch N]");
            }
        }
        long start = System.nanoTime();
        List<BenchmarkFunction> functions = BenchmarkFunction.standard();
        List<Row> rows = evaluate(functions, STRATEGIES, seeds, evaluations, batch);
        System.out.println(table(rows, functions, seeds, evaluations, batch));
        System.out.println(verdict(rows, functions));
        System.out.printf(java.util.Locale.ROOT, "Ran in %.1f s on %d cores.%n", (System.nanoTime() - start) / 1e9,
                Runtime.getRuntime().availableProcessors());
    }

    static String table(List<Row> rows, List<BenchmarkFunction> functions, int seeds, int evaluations, int batch) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(java.util.Locale.ROOT, "Best value found (median [q1, q3] over %d seeds; %d evaluations, batch %d; lower is better)%n%n",
                seeds, evaluations, batch));
        out.append("| function (optimum) | strategy | after 25 | after 50 | after 100 |\n");
        out.append("|---|---|---|---|---|\n");
        for (Row row : rows) {
            double optimum = functions.stream().filter(f -> f.name().equals(row.function())).findFirst().orElseThrow().optimum();
            out.append("| ").append(row.function()).append(" (").append(format(optimum)).append(") | ")
                    .append(row.strategy().equals(Strategies.DEFAULT)
                            ? "default (" + Strategies.byName(Strategies.DEFAULT).name() + ")" : row.strategy());
            for (double[] q : row.quartilesAt()) {
                out.append(" | ").append(format(q[1])).append(" [").append(format(q[0])).append(", ")
                        .append(format(q[2])).append("]");
            }
            out.append(" |\n");
        }
        return out.toString();
    }

    static String verdict(List<Row> rows, List<BenchmarkFunction> functions) {
        StringBuilder out = new StringBuilder("default beats random at 100 (median): ");
        boolean all = true;
        int last = CHECKPOINTS.length - 1;
        for (BenchmarkFunction f : functions) {
            double def = find(rows, f.name(), Strategies.DEFAULT).medianAt(last);
            double random = find(rows, f.name(), "random").medianAt(last);
            boolean beats = def < random;
            all &= beats;
            out.append(f.name()).append(beats ? " yes" : " NO").append(" (").append(format(def)).append(" vs ")
                    .append(format(random)).append("); ");
        }
        return out.append(all ? "ALL: yes" : "ALL: NO").toString();
    }

    private static Row find(List<Row> rows, String function, String strategy) {
        return rows.stream().filter(r -> r.function().equals(function) && r.strategy().equals(strategy))
                .findFirst().orElseThrow();
    }

    /** Quartiles by linear interpolation between order statistics (type 7, as R and numpy default). */
    static double[] quartiles(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[]{quantile(sorted, 0.25), quantile(sorted, 0.5), quantile(sorted, 0.75)};
    }

    private static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static String format(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(java.util.Locale.ROOT, "%.3g", v);
        }
        return String.format(java.util.Locale.ROOT, a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.4f", v);
    }
}
