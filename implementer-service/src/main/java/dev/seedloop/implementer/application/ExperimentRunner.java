package dev.seedloop.implementer.application;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.seedloop.implementer.domain.MetricsParse;
import dev.seedloop.implementer.domain.MetricsProtocol;
import dev.seedloop.implementer.domain.Outcome;
import dev.seedloop.implementer.domain.OutcomeClassifier;
import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RepeatRun;
import dev.seedloop.implementer.domain.RunEnvironment;
import dev.seedloop.implementer.domain.RunRequest;

/**
 * Runs an experiment in a materialised workspace: the build command once (if any), then the
 * command once per repeat, sequentially in the same workspace, each with its own seed in
 * {@code SEEDLOOP_SEED} (and {@code SEEDLOOP_REPEAT}, 0-based). A stale {@code metrics.json} is
 * removed before each repeat. Stops at the first failing repeat.
 */
public final class ExperimentRunner {


    private final ExperimentExecutor executor;
    private final WorkspaceMaterializer materializer;

    public ExperimentRunner(ExperimentExecutor executor, WorkspaceMaterializer materializer) {
        this.executor = executor;
        this.materializer = materializer;
    }

    public ExperimentExecutor executor() {
        return executor;
    }

    /**
     * Seed of repeat {@code i}: a SplitMix64 scramble of the base seed plus i, kept in 0..2^31-1
     * because many programs take 32-bit seeds. Distinct for distinct i (below 2^31), deterministic.
     */
    public static long seed(long baseSeed, int repeat) {
        long z = baseSeed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z + repeat) & 0x7FFF_FFFFL;
    }

    public Outcome run(MaterializedWorkspace ws, ExperimentPlan plan) throws InterruptedException, IOException {
        RunEnvironment env = RunEnvironment.of(plan.env(), ws.paramEnv());
        RawRun build = null;
        if (!plan.buildCommand().isEmpty()) {
            build = executor.run(request(ws, plan, plan.buildCommand(), env.command()));
            Optional<Outcome.Failed> failed = OutcomeClassifier.buildFailure(build,
                    materializer.protectedViolations(ws), OutcomeClassifier.usage(List.of(build)));
            if (failed.isPresent()) {
                return failed.get();
            }
        }
        List<RepeatRun> repeats = new ArrayList<>();
        for (int i = 0; i < plan.repeats(); i++) {
            long seed = seed(plan.baseSeed(), i);
            Path metricsFile = ws.dir().resolve(MetricsProtocol.METRICS_FILE);
            if (!ws.protectedHashes().containsKey(MetricsProtocol.METRICS_FILE)) {
                Files.deleteIfExists(metricsFile);
            }
            RawRun run = executor.run(request(ws, plan, plan.command(), env.repeat(seed, i)));
            MetricsParse metrics = MetricsReader.read(run.stdoutTail(), MetricsReader.metricsFile(ws.dir()),
                    plan.objectiveMetric());
            RepeatRun repeat = new RepeatRun(seed, run, metrics, materializer.protectedViolations(ws));
            repeats.add(repeat);
            if (OutcomeClassifier.classify(null, List.of(repeat)) instanceof Outcome.Failed) {
                break;
            }
        }
        return OutcomeClassifier.classify(build, repeats, plan.repeats());
    }

    private static RunRequest request(MaterializedWorkspace ws, ExperimentPlan plan, List<String> command,
                                      Map<String, String> env) {
        return new RunRequest(ws.dir(), command, env, plan.limits(), ws.protectedPaths(), ws.diskCeilingBytes());
    }
}
