package dev.seedloop.implementer.application;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.seedloop.events.ValidationResult;
import dev.seedloop.events.ValidationSpec;
import dev.seedloop.implementer.domain.MetricsParse;
import dev.seedloop.implementer.domain.MetricsProtocol;
import dev.seedloop.implementer.domain.Outcome;
import dev.seedloop.implementer.domain.OutcomeClassifier;
import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.ReadOnlyMount;
import dev.seedloop.implementer.domain.RepeatRun;
import dev.seedloop.implementer.domain.RunEnvironment;
import dev.seedloop.implementer.domain.RunRequest;

/**
 * Runs an experiment, every command of it, in this order: the build command once (if any), then the command once
 * per repeat, sequentially in the same materialised workspace, each with its own seed in {@code SEEDLOOP_SEED} (and
 * {@code SEEDLOOP_REPEAT}, 0-based), a stale {@code metrics.json} removed before each; it stops at the first failing
 * repeat. Then, for a completed experiment of a study with validation, the validation command and, if it passed,
 * the held-out command, each in a fresh workspace written again from the experiment's code (ADR 0020), the
 * held-out command with the held-out data mounted read-only at {@value #HELD_OUT_MOUNT}. Every command gets its
 * environment from one {@link RunEnvironment} and the plan's limits; whether it passed is
 * {@link OutcomeClassifier}'s to say.
 */
public final class ExperimentRunner {

    /** Where the held-out command finds the study's held-out data, read-only; no other command has it (ADR 0020). */
    public static final String HELD_OUT_MOUNT = "/heldout";

    /** Removes a workspace (or the held-out data's directory) once its command has run. */
    @FunctionalInterface
    public interface WorkspaceRelease {

        void release(Path dir);
    }

    private final ExperimentExecutor executor;
    private final WorkspaceMaterializer materializer;
    private final WorkspaceRelease release;

    /** A runner that deletes each fresh workspace after its command. */
    public ExperimentRunner(ExperimentExecutor executor, WorkspaceMaterializer materializer) {
        this(executor, materializer, dir -> {
            try {
                WorkspaceMaterializer.release(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public ExperimentRunner(ExperimentExecutor executor, WorkspaceMaterializer materializer, WorkspaceRelease release) {
        this.executor = executor;
        this.materializer = materializer;
        this.release = release;
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

    /** Runs the plan's commands in {@code ws} (and the validation's in fresh workspaces beside it). */
    public Outcome run(MaterializedWorkspace ws, ExperimentPlan plan) throws InterruptedException, IOException {
        RunEnvironment env = RunEnvironment.of(plan.env(), ws.paramEnv());
        RawRun build = null;
        if (!plan.buildCommand().isEmpty()) {
            build = executor.run(request(ws, plan.buildCommand(), env.command(), plan, List.of()));
            Optional<Outcome.Failed> failed = OutcomeClassifier.buildFailure(build,
                    materializer.protectedViolations(ws), OutcomeClassifier.usage(List.of(build)));
            if (failed.isPresent()) {
                return failed.get();
            }
        }
        List<RepeatRun> repeats = new ArrayList<>();
        for (int i = 0; i < plan.repeats(); i++) {
            long seed = seed(plan.baseSeed(), i);
            if (!ws.protectedHashes().containsKey(MetricsProtocol.METRICS_FILE)) {
                Files.deleteIfExists(ws.dir().resolve(MetricsProtocol.METRICS_FILE));
            }
            RawRun run = executor.run(request(ws, plan.command(), env.repeat(seed, i), plan, List.of()));
            MetricsParse metrics = MetricsReader.read(run.stdoutTail(), MetricsReader.metricsFile(ws.dir()),
                    plan.objectiveMetric());
            RepeatRun repeat = new RepeatRun(seed, run, metrics, materializer.protectedViolations(ws));
            repeats.add(repeat);
            if (OutcomeClassifier.repeatFailed(repeat)) {
                break;
            }
        }
        Outcome outcome = OutcomeClassifier.classify(build, repeats, plan.repeats());
        if (outcome instanceof Outcome.Completed completed && plan.validation() != null) {
            return completed.validated(validate(ws.dir().getFileName().toString(), plan, env));
        }
        return outcome;
    }

    /**
     * The validation and held-out commands, each in a fresh workspace of the experiment's code and parameters
     * (never the directory the experiment ran in: what it wrote there cannot reach them), named after the
     * experiment's ({@code <experiment>-validation}, {@code <experiment>-heldout}, the data in
     * {@code <experiment>-heldout-data}).
     */
    private Outcome.ValidationVerdict validate(String experiment, ExperimentPlan plan, RunEnvironment env)
            throws InterruptedException, IOException {
        ExperimentPlan.ValidationInput input = plan.validation();
        ValidationSpec validation = input.validation();
        ValidationResult result = OutcomeClassifier.noValidationCommand();
        if (validation.command() != null) {
            result = OutcomeClassifier.validation(runFresh(input, experiment + "-validation", validation.command(),
                    env, plan, List.of()));
        }
        if (!result.passed() || validation.heldOutCommand() == null) {
            return new Outcome.ValidationVerdict(result, null);
        }
        Path data = input.heldOutData() == null ? null
                : materializer.materializeData(input.heldOutData(), experiment + "-heldout-data");
        RawRun run;
        try {
            run = runFresh(input, experiment + "-heldout", validation.heldOutCommand(), env, plan, data == null
                    ? List.of() : List.of(new ReadOnlyMount(data, HELD_OUT_MOUNT, RunEnvironment.HELD_OUT_DATA)));
        } finally {
            if (data != null) {
                release.release(data);
            }
        }
        MetricsParse metrics = MetricsReader.read(run.stdoutTail(), null, validation.heldOutMetric());
        return OutcomeClassifier.heldOut(result, run, metrics, validation.heldOutMetric());
    }

    /** Runs {@code command} in a workspace of its own, written afresh from the experiment's code, then removes it. */
    private RawRun runFresh(ExperimentPlan.ValidationInput input, String name, List<String> command,
            RunEnvironment env, ExperimentPlan plan, List<ReadOnlyMount> mounts)
            throws IOException, InterruptedException {
        MaterializedWorkspace fresh = materializer.materialize(input.code(), name, input.parameters());
        try {
            return executor.run(request(fresh, command, env.command(), plan, mounts));
        } finally {
            release.release(fresh.dir());
        }
    }

    /** Every command's request: its workspace's protected files and disk ceiling, the plan's limits. */
    private static RunRequest request(MaterializedWorkspace ws, List<String> command, Map<String, String> env,
            ExperimentPlan plan, List<ReadOnlyMount> mounts) {
        return new RunRequest(ws.dir(), command, env, plan.limits(), ws.protectedPaths(), ws.diskCeilingBytes(),
                mounts);
    }
}
