package dev.seedloop.stack.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.stack.LocalStack;

/**
 * {@code ./seedloop bench platform [--experiments 100] [--saturation-studies 4] [--saturation-experiments 100]
 * [--saturation-parallelism 8] [--queries 200]}: what the platform costs around an experiment that does nothing, on
 * the local stack (started as {@code ./seedloop demo} starts it, stopped after only if this started it):
 * <ol>
 *   <li>overhead per experiment: one study, one experiment at a time, each stage's p50/p99 from the stored events'
 *   {@code occurredAt} ({@link StageLatencies}); the targets (issue #15) are p50 &lt;= 50 ms and p99 &lt;= 250 ms
 *   for ProposalCreated -&gt; ExperimentStarted and for ExperimentCompleted -&gt; next ProposalCreated;</li>
 *   <li>experiments/s at saturation: several studies at once, each several experiments at a time, through the
 *   sandbox (target: &gt;= 50/s);</li>
 *   <li>the gateway's main reads, one after another on the idle stack: p50/p99 each;</li>
 *   <li>each process's RSS and start time ({@link ServiceFootprint}).</li>
 * </ol>
 * Prints Markdown tables and, for each target, MET or MISSED.
 */
public final class PlatformBenchmark {

    static final double TARGET_P50_MS = 50;
    static final double TARGET_P99_MS = 250;
    static final double TARGET_EXPERIMENTS_PER_SECOND = 50;
    private static final int WARM_UP = 10;

    private PlatformBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(StackBench.main(args, Map.of("experiments", 100, "saturation-studies", 4,
                "saturation-experiments", 100, "saturation-parallelism", 8, "queries", 200),
                (stack, options) -> measure(stack, options, System.out)));
    }

    private static int measure(LocalStack stack, BenchOptions options, PrintStream out) throws Exception {
        out.println("Machine load at start: " + StackBench.loadAverage());
        out.println();
        out.println("## Processes after start (RSS idle; launch to ready from this run's supervisor.log"
                + (stack.startedHere() ? "" : ", which started before this bench") + ")");
        ServiceFootprint.print(ServiceFootprint.measure(stack.layout()), out);

        LoadRun.Team team = StackBench.team(stack, "alice", "team-a");
        out.println();
        out.println("## Overhead per experiment: 1 study, " + options.get("experiments")
                + " trivial experiments, one at a time");
        LoadRun.Report single = LoadRun.run(List.of(team), new LoadRun.Plan(1, options.get("experiments"), 1,
                Duration.ofMinutes(30)), out);
        single.print(out);

        out.println();
        out.printf(Locale.ROOT, "## Saturation: %d studies at once, %d trivial experiments each, %d at a time%n",
                options.get("saturation-studies"), options.get("saturation-experiments"),
                options.get("saturation-parallelism"));
        LoadRun.Report saturated = LoadRun.run(List.of(team), new LoadRun.Plan(options.get("saturation-studies"),
                options.get("saturation-experiments"), options.get("saturation-parallelism"), Duration.ofMinutes(60)),
                out);
        saturated.print(out);

        out.println();
        String study = single.studies().get(0).id();
        out.println("## Gateway reads, " + options.get("queries") + " of each in a row on the idle stack (study "
                + study + ", " + single.studies().get(0).events().size() + " events)");
        queryLatencies(team.researcher(), study, options.get("queries"), out);

        out.println();
        out.println("## Processes after the runs");
        ServiceFootprint.print(ServiceFootprint.measure(stack.layout()), out);
        out.println();
        out.println("Machine load at end: " + StackBench.loadAverage());

        out.println();
        out.println("## Targets (issue #15)");
        boolean met = true;
        for (String stage : List.of(StageLatencies.PROPOSED_TO_STARTED, StageLatencies.ENDED_TO_NEXT_PROPOSAL)) {
            Samples samples = single.latencies().stage(stage);
            met &= target(out, stage + " p50", samples.percentile(50), TARGET_P50_MS, true, "ms");
            met &= target(out, stage + " p99", samples.percentile(99), TARGET_P99_MS, true, "ms");
        }
        met &= target(out, "trivial experiments/s through the sandbox at saturation",
                saturated.experimentsPerSecond(), TARGET_EXPERIMENTS_PER_SECOND, false, "/s");
        if (!single.passed() || !saturated.passed()) {
            out.println("A run's checks FAILED (above): its figures are not to be trusted.");
            return 1;
        }
        out.println(met ? "Every target met." : "Not every target met (MISSED above).");
        return 0;
    }

    private static boolean target(PrintStream out, String what, double value, double target, boolean atMost,
                                  String unit) {
        boolean met = atMost ? value <= target : value >= target;
        out.printf(Locale.ROOT, "- %s: %.1f %s, target %s %.0f %s: %s%n", what, value, unit, atMost ? "<=" : ">=",
                target, unit, met ? "MET" : "MISSED");
        return met;
    }

    /** Each main read, one after another after a few to warm up, timed at the client (HTTP + JSON). */
    private static void queryLatencies(GatewayClient gateway, String study, int count, PrintStream out) {
        Map<String, Runnable> reads = new LinkedHashMap<>();
        reads.put("GET /api/v1/studies?limit=50", () -> gateway.studies(null, 0, 50));
        reads.put("GET /api/v1/studies/{id}", () -> gateway.study(study));
        reads.put("GET /api/v1/studies/{id}/events?limit=100", () -> gateway.events(study, 0, 100, List.of()));
        reads.put("GET /api/v1/studies/{id}/lineage", () -> gateway.lineage(study, 0, 1000));
        reads.put("GET /api/v1/studies/{id}/postmortem", () -> gateway.postmortem(study, "application/json"));
        reads.put("GET /api/v1/teams/team-a/quota", () -> gateway.quota("team-a"));
        out.println("| read | p50 (ms) | p99 (ms) | max (ms) | n |");
        out.println("|---|---:|---:|---:|---:|");
        reads.forEach((name, read) -> {
            for (int i = 0; i < WARM_UP; i++) {
                read.run();
            }
            Samples samples = new Samples();
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                read.run();
                samples.add((System.nanoTime() - start) / 1e6);
            }
            out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d |%n", name, samples.percentile(50),
                    samples.percentile(99), samples.max(), samples.count());
        });
    }
}
