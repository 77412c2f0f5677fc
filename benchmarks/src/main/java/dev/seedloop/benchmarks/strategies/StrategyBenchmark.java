package dev.seedloop.benchmarks.strategies;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.seedloop.events.Direction;
import dev.seedloop.events.Parameter;
import dev.seedloop.proposer.domain.Candidate;
import dev.seedloop.proposer.domain.Observation;
import dev.seedloop.proposer.domain.Strategies;
import dev.seedloop.proposer.domain.Strategy;
import dev.seedloop.proposer.domain.StrategyInput;

/**
 * Offline comparison of the strategies, and of the default against Optuna's TPE ({@link OptunaTpe}), on the
 * {@link BenchmarkFunction#standardWithNoise()} functions: a sequential propose-evaluate loop per (function,
 * strategy, seed), reported as the median and quartiles of the regret after 25, 50 and 100 evaluations.
 *
 * <p>Regret after n evaluations is {@code f(x*) - optimum}, where x* is the point with the best observed value
 * among the first n and f the noiseless function: on a noisy function a strategy is judged on what it would pick,
 * not on a lucky draw of the noise.
 *
 * <p>Usage: {@code StrategyBenchmark [--seeds N] [--first-seed S] [--evals N] [--batch N] [--strategies a,b]
 * [--option key=value]... [--python PATH | --no-optuna]} (defaults 20, 1, 100, 1, all, none, python3).
 */
public final class StrategyBenchmark {

    public static final List<String> STRATEGIES = List.of("random", "sobol", "evolutionary", "tpe", Strategies.DEFAULT);
    /** The row label of Optuna's TPE. */
    public static final String OPTUNA = "optuna-tpe";
    private static final int[] CHECKPOINTS = {25, 50, 100};

    private StrategyBenchmark() {
    }

    /** What one run evaluated, in order: each point's coordinates {@code x1..xd} and its observed value. */
    public record Trace(List<double[]> points, double[] observed) {
    }

    /** One run of a Seedloop strategy: every observation includes that evaluation's noise. */
    public static Trace run(BenchmarkFunction function, Strategy strategy, long seed, int evaluations, int batch,
                            Map<String, String> options) {
        double[] noise = function.noise(seed, evaluations);
        List<Observation> history = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        double[] observed = new double[evaluations];
        List<Parameter> parameters = function.space().parameters();
        while (history.size() < evaluations) {
            int count = Math.min(batch, evaluations - history.size());
            StrategyInput input = new StrategyInput(function.space(), Direction.MINIMIZE, seed, history.size(),
                    history, Map.of(), options);
            for (Candidate c : strategy.propose(input, count)) {
                double[] x = new double[parameters.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = ((Number) c.parameters().get(parameters.get(i).name())).doubleValue();
                }
                int at = history.size();
                observed[at] = function.evaluate(x) + noise[at];
                points.add(x);
                history.add(new Observation(new UUID(seed, c.ordinal()), c.parameters(), observed[at], c.operator()));
            }
        }
        return new Trace(points, observed);
    }

    /** Regret after each evaluation: the noiseless value at the best observed point so far, less the optimum. */
    public static double[] regret(BenchmarkFunction function, Trace trace) {
        double[] regret = new double[trace.observed().length];
        int best = 0;
        for (int i = 0; i < regret.length; i++) {
            if (trace.observed()[i] < trace.observed()[best]) {
                best = i;
            }
            regret[i] = function.evaluate(trace.points().get(best)) - function.optimum();
        }
        return regret;
    }

    /** Summary of one (function, strategy) cell: quartiles of the regret at each checkpoint. */
    public record Row(String function, String strategy, double[][] quartilesAt) {
        public double medianAt(int checkpointIndex) {
            return quartilesAt[checkpointIndex][1];
        }
    }

    /** Seeds {@code firstSeed .. firstSeed + seeds - 1} of every (function, strategy). */
    public static List<Row> evaluate(List<BenchmarkFunction> functions, List<String> strategies, long firstSeed,
                                     int seeds, int evaluations, int batch, Map<String, String> options)
            throws Exception {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            Map<String, List<Future<double[]>>> runs = new LinkedHashMap<>();
            for (BenchmarkFunction f : functions) {
                for (String s : strategies) {
                    Strategy strategy = Strategies.byName(s);
                    List<Future<double[]>> futures = new ArrayList<>();
                    for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
                        long studySeed = seed;
                        futures.add(pool.submit(() -> regret(f,
                                run(f, strategy, studySeed, evaluations, batch, options))));
                    }
                    runs.put(f.name() + "\u0000" + s, futures);
                }
            }
            List<Row> rows = new ArrayList<>();
            for (Map.Entry<String, List<Future<double[]>>> e : runs.entrySet()) {
                String[] key = e.getKey().split("\u0000");
                List<double[]> curves = new ArrayList<>();
                for (Future<double[]> run : e.getValue()) {
                    curves.add(run.get());
                }
                rows.add(row(key[0], key[1], curves, evaluations));
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Optuna's rows and the version that made them. */
    public record OptunaRows(String version, List<Row> rows) {
    }

    /** Optuna's rows, one per function, from the same seeds, budget and noise draws. */
    public static OptunaRows evaluateOptuna(OptunaTpe optuna, List<BenchmarkFunction> functions, long firstSeed,
                                           int seeds, int evaluations) throws Exception {
        OptunaTpe.Result result = optuna.run(functions, firstSeed, seeds, evaluations);
        Map<String, List<Trace>> traces = result.traces();
        List<Row> rows = new ArrayList<>();
        for (BenchmarkFunction f : functions) {
            rows.add(row(f.name(), OPTUNA, traces.get(f.name()).stream().map(t -> regret(f, t)).toList(), evaluations));
        }
        return new OptunaRows(result.version(), rows);
    }

    static Row row(String function, String strategy, List<double[]> curves, int evaluations) {
        double[][] q = new double[CHECKPOINTS.length][];
        for (int c = 0; c < CHECKPOINTS.length; c++) {
            int at = Math.min(CHECKPOINTS[c], evaluations) - 1;
            q[c] = quartiles(curves.stream().mapToDouble(curve -> curve[at]).toArray());
        }
        return new Row(function, strategy, q);
    }

    public static void main(String[] args) throws Exception {
        int seeds = 20;
        long firstSeed = 1;
        int evaluations = 100;
        int batch = 1;
        List<String> strategies = STRATEGIES;
        Map<String, String> options = new LinkedHashMap<>();
        String python = "python3";
        boolean optuna = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--first-seed" -> firstSeed = Long.parseLong(args[++i]);
                case "--evals" -> evaluations = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--strategies" -> strategies = List.of(args[++i].split(","));
                case "--option" -> {
                    String[] kv = args[++i].split("=", 2);
                    options.put(kv[0], kv.length == 2 ? kv[1] : "");
                }
                case "--python" -> python = args[++i];
                case "--no-optuna" -> optuna = false;
                default -> {
                    System.err.println("unknown argument " + args[i] + "; usage: StrategyBenchmark [--seeds N]"
                            + " [--first-seed S] [--evals N] [--batch N] [--strategies a,b] [--option key=value]..."
                            + " [--python PATH | --no-optuna]");
                    System.exit(2);
                }
            }
        }
        long start = System.nanoTime();
        List<BenchmarkFunction> functions = BenchmarkFunction.standardWithNoise();
        OptunaRows optunaRows = null;
        if (optuna) {
            try {
                optunaRows = evaluateOptuna(new OptunaTpe(python), functions, firstSeed, seeds, evaluations);
            } catch (OptunaTpe.Unavailable e) {
                System.err.println(e.getMessage());
                System.exit(3);
            }
        }
        double optunaSeconds = (System.nanoTime() - start) / 1e9;
        List<Row> rows = evaluate(functions, strategies, firstSeed, seeds, evaluations, batch, options);
        System.out.println(table(rows, functions, firstSeed, seeds, evaluations, batch, options));
        if (strategies.contains("random") && strategies.contains(Strategies.DEFAULT)) {
            System.out.println(verdict(rows, functions));
        }
        if (optuna && strategies.contains(Strategies.DEFAULT)) {
            System.out.println();
            System.out.println(versusOptuna(rows, optunaRows.rows(), functions, firstSeed, seeds, evaluations));
            System.out.printf(Locale.ROOT, "Optuna %s side ran in %.1f s.%n", optunaRows.version(), optunaSeconds);
        }
        System.out.printf(Locale.ROOT, "Ran in %.1f s on %d cores.%n", (System.nanoTime() - start) / 1e9,
                Runtime.getRuntime().availableProcessors());
    }

    static String table(List<Row> rows, List<BenchmarkFunction> functions, long firstSeed, int seeds,
                        int evaluations, int batch, Map<String, String> options) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Regret f(best observed) - optimum (median [q1, q3] over seeds %d..%d;"
                        + " %d evaluations, batch %d%s; lower is better)%n%n", firstSeed, firstSeed + seeds - 1,
                evaluations, batch, options.isEmpty() ? "" : "; options " + options));
        out.append("| function (noise sd) | strategy | after 25 | after 50 | after 100 |\n");
        out.append("|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(label(functions, row.function())).append(" | ")
                    .append(row.strategy().equals(Strategies.DEFAULT)
                            ? "default (" + Strategies.byName(Strategies.DEFAULT).name() + ")" : row.strategy());
            for (double[] q : row.quartilesAt()) {
                out.append(" | ").append(cell(q));
            }
            out.append(" |\n");
        }
        return out.toString();
    }

    /** The default's regret next to Optuna's, and their ratio (below 1: Seedloop's is lower). */
    static String versusOptuna(List<Row> rows, List<Row> optunaRows, List<BenchmarkFunction> functions,
                               long firstSeed, int seeds, int evaluations) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Seedloop's default vs Optuna's TPESampler (defaults, seeded): median"
                + " regret [q1, q3] over seeds %d..%d, %d evaluations; ratio = Seedloop / Optuna of the medians%n%n",
                firstSeed, firstSeed + seeds - 1, evaluations));
        out.append("| function (noise sd) | after | Seedloop default | Optuna TPE | ratio |\n");
        out.append("|---|---|---|---|---|\n");
        for (BenchmarkFunction f : functions) {
            Row ours = find(rows, f.name(), Strategies.DEFAULT);
            Row theirs = find(optunaRows, f.name(), OPTUNA);
            for (int c = 0; c < CHECKPOINTS.length; c++) {
                if (CHECKPOINTS[c] > evaluations) {
                    continue;
                }
                out.append("| ").append(label(functions, f.name())).append(" | ").append(CHECKPOINTS[c])
                        .append(" | ").append(cell(ours.quartilesAt()[c])).append(" | ")
                        .append(cell(theirs.quartilesAt()[c])).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", ratio(ours.medianAt(c), theirs.medianAt(c))))
                        .append(" |\n");
            }
        }
        return out.toString();
    }

    static double ratio(double ours, double theirs) {
        return theirs == 0 ? (ours == 0 ? 1 : Double.POSITIVE_INFINITY) : ours / theirs;
    }

    static String verdict(List<Row> rows, List<BenchmarkFunction> functions) {
        StringBuilder out = new StringBuilder("default beats random at 100 (median regret): ");
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

    private static String label(List<BenchmarkFunction> functions, String name) {
        BenchmarkFunction f = functions.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        return f.name() + " (" + (f.noiseSd() == 0 ? "none" : format(f.noiseSd())) + ")";
    }

    private static String cell(double[] q) {
        return format(q[1]) + " [" + format(q[0]) + ", " + format(q[2]) + "]";
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

    static String format(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : "%.4f", v);
    }
}
