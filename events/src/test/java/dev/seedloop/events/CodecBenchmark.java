package dev.seedloop.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.ToIntFunction;

/**
 * Micro-benchmark of {@link EventCodec} on the events that dominate a replay: a StrategyUpdated with
 * 500 observations (what the learner sends, 95 % of a long study's bytes) and a ProposalCreated. A
 * main class, not a test, so the suite never pays for it; figures are in {@code docs/benchmarks.md}
 * ("Codec").
 *
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -pl events
 * java -cp events/target/classes:events/target/test-classes:$(cat events/target/cp.txt) \
 *   dev.seedloop.events.CodecBenchmark [--observations 500] [--iterations 2000] [--warmup 5000] [--rounds 5]
 * </pre>
 */
public final class CodecBenchmark {

    private CodecBenchmark() {
    }

    public static void main(String[] args) {
        int observations = intArg(args, "--observations", 500);
        int iterations = intArg(args, "--iterations", 2_000);
        int warmup = intArg(args, "--warmup", 5_000);
        int rounds = intArg(args, "--rounds", 5);

        EventCodec codec = new EventCodec();
        EventEnvelope strategy = strategyUpdated(observations);
        EventEnvelope proposal = SampleEvents.proposalCreated();
        byte[] strategyJson = codec.encode(strategy);
        byte[] proposalJson = codec.encode(proposal);
        if (!codec.decode(strategyJson).equals(strategy) || !codec.decode(proposalJson).equals(proposal)) {
            throw new IllegalStateException("the codec does not round-trip the benchmark events");
        }

        System.out.printf("Codec benchmark: %d iterations after %d warm-up, median of %d rounds; %d cores, Java %s%n",
                iterations, warmup, rounds, Runtime.getRuntime().availableProcessors(), Runtime.version());
        // The long events use a tenth of the iterations so that a round stays around a second either way.
        int longIterations = Math.max(1, iterations / 10);
        report("decode StrategyUpdated (" + observations + " observations, " + strategyJson.length + " B)",
                strategyJson, j -> codec.decode(j).studyId().length(), warmup / 10, longIterations, rounds);
        report("encode StrategyUpdated (" + observations + " observations)",
                strategy, e -> codec.encode(e).length, warmup / 10, longIterations, rounds);
        report("decode ProposalCreated (" + proposalJson.length + " B)",
                proposalJson, j -> codec.decode(j).studyId().length(), warmup, iterations, rounds);
        report("encode ProposalCreated", proposal, e -> codec.encode(e).length, warmup, iterations, rounds);
    }

    /** Runs {@code op} and prints the median time per call; the results are summed so the JIT cannot drop the work. */
    private static <T> void report(String label, T input, ToIntFunction<T> op, int warmup, int iterations, int rounds) {
        long sink = 0;
        for (int i = 0; i < warmup; i++) {
            sink += op.applyAsInt(input);
        }
        double[] micros = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                sink += op.applyAsInt(input);
            }
            micros[r] = (System.nanoTime() - start) / 1_000.0 / iterations;
        }
        double[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf("%-62s %10.1f µs  (rounds: %s; sink %d)%n", label, sorted[rounds / 2], format(micros), sink % 10);
    }

    private static String format(double[] micros) {
        List<String> out = new ArrayList<>();
        for (double m : micros) {
            out.add(String.format("%.1f", m));
        }
        return String.join(" ", out);
    }

    /** Shaped like the learner's: the sample spec's three parameters, one in twelve points without a value. */
    static EventEnvelope strategyUpdated(int observations) {
        List<Observation> list = new ArrayList<>(observations);
        for (int i = 0; i < observations; i++) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("learning_rate", 1.0E-5 + i * 1.7E-4);
            point.put("batch_size", 16 + (i * 37) % 241);
            point.put("optimizer", List.of("adam", "sgd", "adamw").get(i % 3));
            Double value = i % 12 == 11 ? null : 0.04 + (i % 97) * 1.3E-3;
            list.add(new Observation(EventIds.derived(SampleEvents.CORRELATION_ID, "proposal:" + i), i,
                    i % 5 == 0 ? "sobol" : "mutate", point, value));
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put("mutate", 0.6);
        weights.put("crossover", 0.3);
        weights.put("random", 0.1);
        return new EventEnvelope(UUID.fromString("0193f7a5-2c3d-7f50-b162-738495061728"), SampleEvents.STUDY_ID,
                SampleEvents.TEAM, Instant.parse("2026-11-23T12:03:45.300Z"),
                UUID.fromString("0193f7a5-1b2d-7e4f-a051-627384950617"), SampleEvents.CORRELATION_ID, Services.LEARNER,
                new StrategyUpdated(12L, 2, weights, "champion improved; favour exploitation", observations, list));
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
