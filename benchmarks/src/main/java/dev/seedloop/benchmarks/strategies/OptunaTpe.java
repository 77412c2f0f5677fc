package dev.seedloop.benchmarks.strategies;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.seedloop.events.Parameter;

/**
 * Optuna's TPE, the field's default, on the same functions, bounds, seeds, budgets and noise draws as the Seedloop
 * strategies: {@code optuna_tpe.py} (shipped in this jar) run by a Python interpreter as a subprocess, one JSON
 * request on its stdin, one answer on its stdout.
 *
 * <p>The functions exist twice (Java here, Python there: they cannot share code), so every point the script
 * evaluated is re-evaluated in Java and a run whose observed value differs from the Java value plus the noise sent
 * is refused ({@link IllegalStateException}): a formula that drifts on either side stops the benchmark instead of
 * comparing different functions.
 */
public final class OptunaTpe {

    static final String SCRIPT = "optuna_tpe.py";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Tolerance of the cross-check: both sides compute in IEEE doubles, in slightly different operation orders. */
    private static final double AGREEMENT = 1e-9;

    /** Python or Optuna is not there: the message says how to install them. */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    /** The traces per function name, in seed order, and the Optuna version that made them. */
    public record Result(String version, Map<String, List<StrategyBenchmark.Trace>> traces) {
    }

    private final String python;

    public OptunaTpe(String python) {
        this.python = python;
    }

    /** Runs seeds {@code firstSeed ..} of every function with Optuna's TPESampler(seed=seed) and its defaults. */
    public Result run(List<BenchmarkFunction> functions, long firstSeed, int seeds, int evaluations)
            throws IOException, InterruptedException, Unavailable {
        ObjectNode request = JSON.createObjectNode().put("mode", "run").put("evaluations", evaluations)
                .put("workers", Math.max(1, Runtime.getRuntime().availableProcessors()));
        ArrayNode runs = request.putArray("runs");
        for (BenchmarkFunction f : functions) {
            for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
                ObjectNode run = runs.addObject().put("function", f.base()).put("seed", seed);
                ArrayNode bounds = run.putArray("bounds");
                for (Parameter p : f.space().parameters()) {
                    bounds.addArray().add(p.low()).add(p.high());
                }
                ArrayNode noise = run.putArray("noise");
                for (double e : f.noise(seed, evaluations)) {
                    noise.add(e);
                }
            }
        }
        JsonNode answer = call(request);
        Map<String, List<StrategyBenchmark.Trace>> traces = new LinkedHashMap<>();
        int index = 0;
        for (BenchmarkFunction f : functions) {
            List<StrategyBenchmark.Trace> perSeed = new ArrayList<>();
            for (long seed = firstSeed; seed < firstSeed + seeds; seed++) {
                JsonNode run = answer.get("runs").get(index++);
                perSeed.add(checked(f, seed, evaluations, run));
            }
            traces.put(f.name(), perSeed);
        }
        return new Result(answer.get("version").asText(), traces);
    }

    /** The script's values of the named (noiseless) functions at the given points. */
    public double[] evaluate(List<String> functions, List<double[]> points)
            throws IOException, InterruptedException, Unavailable {
        ObjectNode request = JSON.createObjectNode().put("mode", "check");
        ArrayNode array = request.putArray("points");
        for (int i = 0; i < points.size(); i++) {
            ArrayNode x = array.addObject().put("function", functions.get(i)).putArray("x");
            for (double v : points.get(i)) {
                x.add(v);
            }
        }
        JsonNode values = call(request).get("values");
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asDouble();
        }
        return out;
    }

    static StrategyBenchmark.Trace checked(BenchmarkFunction f, long seed, int evaluations, JsonNode run) {
        if (!run.get("function").asText().equals(f.base()) || run.get("seed").asLong() != seed
                || run.get("points").size() != evaluations) {
            throw new IllegalStateException("the Optuna script answered " + run.get("function") + " seed "
                    + run.get("seed") + " with " + run.get("points").size() + " points for " + f.base() + " seed "
                    + seed + " with " + evaluations);
        }
        double[] noise = f.noise(seed, evaluations);
        List<double[]> points = new ArrayList<>();
        double[] observed = new double[evaluations];
        for (int i = 0; i < evaluations; i++) {
            JsonNode p = run.get("points").get(i);
            double[] x = new double[p.size()];
            for (int j = 0; j < x.length; j++) {
                x[j] = p.get(j).asDouble();
            }
            observed[i] = run.get("observed").get(i).asDouble();
            double expected = f.evaluate(x) + noise[i];
            if (Math.abs(observed[i] - expected) > AGREEMENT * Math.max(1, Math.abs(expected))) {
                throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                        "%s differs between Java and %s at %s (seed %d, evaluation %d): Python %.17g, Java %.17g",
                        f.name(), SCRIPT, java.util.Arrays.toString(x), seed, i, observed[i], expected));
            }
            points.add(x);
        }
        return new StrategyBenchmark.Trace(points, observed);
    }

    private JsonNode call(ObjectNode request) throws IOException, InterruptedException, Unavailable {
        Path script = Files.createTempFile("seedloop-optuna-", ".py");
        try {
            try (InputStream in = OptunaTpe.class.getResourceAsStream(SCRIPT)) {
                Files.write(script, in.readAllBytes());
            }
            Process process;
            try {
                process = new ProcessBuilder(python, script.toString()).start();
            } catch (IOException e) {
                throw new Unavailable("cannot run '" + python + "' (" + e.getMessage() + "). The Optuna side of"
                        + " this benchmark needs Python 3 with Optuna: install Python 3, then `" + "pip install"
                        + " optuna`, or name the interpreter with --python PATH (--no-optuna leaves the comparison"
                        + " out).");
            }
            CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (OutputStream in = process.getOutputStream()) {
                JSON.writeValue(in, request);
            }
            int status = process.waitFor();
            String errors = new String(stderr.join(), StandardCharsets.UTF_8);
            if (status != 0) {
                if (errors.contains("No module named 'optuna'")) {
                    throw new Unavailable("'" + python + "' has no Optuna: `" + python + " -m pip install optuna`"
                            + " (or name another interpreter with --python PATH; --no-optuna leaves the comparison"
                            + " out).");
                }
                throw new IOException(SCRIPT + " exited with " + status + ":\n" + errors);
            }
            return JSON.readTree(stdout.join());
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
