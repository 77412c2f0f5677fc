package dev.seedloop.implementer.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.seedloop.events.FailureReason;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.ValidationResult;

/**
 * Every pass/fail rule of an experiment, in one place; the runner only runs commands and hands their raw runs here.
 *
 * <p><b>Build and repeats</b> ({@link #classify}): a failed build fails the experiment with BUILD_FAILED (also when
 * the build timed out, flooded output, reached a whole-experiment limit or modified a protected path), or
 * SANDBOX_REFUSED when the executor refused it. Otherwise the first failing repeat decides (the runner stops there,
 * {@link #repeatFailed}), checked in this order: refused by the executor (SANDBOX_REFUSED), protected path modified
 * (CRASHED, "protected path modified: p"), a whole-experiment limit reached (CRASHED, "memory limit exceeded: …",
 * "process limit exceeded: …", "disk quota exceeded: …"), wall timeout (TIMEOUT), output cap hit (CRASHED,
 * "output limit exceeded"), non-zero exit (CRASHED, signals named), bad or missing metrics (BAD_METRICS). Usage sums
 * wall and CPU time over build and repeats and takes the largest RSS.
 *
 * <p><b>Validation</b> of a completed experiment (ADR 0020): the validation passes when its command exits 0 within
 * its timeout and output cap ({@link #validation}); only then does the held-out command run, whose metric counts
 * when it exits 0 within its timeout and reports the metric by the metrics protocol; otherwise the validation is
 * reported failed, "held-out metric unavailable: …" ({@link #heldOut}). Neither changes the experiment's reason:
 * it is completed, with a failed validation.
 */
public final class OutcomeClassifier {

    private OutcomeClassifier() {
    }

    /** @param build the build run, or null when the experiment has no build step */
    public static Outcome classify(RawRun build, List<RepeatRun> repeats) {
        return classify(build, repeats, repeats.size());
    }

    /**
     * @param plannedRepeats how many repeats were planned, for "repeat i/n" details when the runner
     *                       stopped after the first failing one
     */
    public static Outcome classify(RawRun build, List<RepeatRun> repeats, int plannedRepeats) {
        List<RawRun> all = new ArrayList<>();
        if (build != null) {
            all.add(build);
        }
        repeats.forEach(r -> all.add(r.run()));
        ResourceUsage usage = usage(all);

        if (build != null) {
            Optional<Outcome.Failed> failed = buildFailure(build, List.of(), usage);
            if (failed.isPresent()) {
                return failed.get();
            }
        }
        if (repeats.isEmpty()) {
            throw new IllegalArgumentException("at least one repeat is required");
        }
        List<RepeatResult> results = new ArrayList<>();
        for (int i = 0; i < repeats.size(); i++) {
            RepeatRun repeat = repeats.get(i);
            RawRun run = repeat.run();
            String which = plannedRepeats <= 1 ? "" : "repeat " + (i + 1) + "/" + plannedRepeats + ": ";
            Optional<Outcome.Failed> failed = repeatFailure(repeat, which, usage);
            if (failed.isPresent()) {
                return failed.get();
            }
            MetricsParse.Parsed parsed = (MetricsParse.Parsed) repeat.metrics();
            results.add(new RepeatResult(repeat.seed(), parsed.metrics(), run.wallMillis(), run.exitCode()));
        }
        return new Outcome.Completed(results, usage, repeats.get(repeats.size() - 1).run().logTail());
    }

    /** Whether {@code repeat} fails the experiment, so that no further repeat needs to run. */
    public static boolean repeatFailed(RepeatRun repeat) {
        return repeatFailure(repeat, "", ResourceUsage.NONE).isPresent();
    }

    private static Optional<Outcome.Failed> repeatFailure(RepeatRun repeat, String which, ResourceUsage usage) {
        RawRun run = repeat.run();
        String log = run.logTail();
        if (run.wasRefused()) {
            return Optional.of(new Outcome.Failed(FailureReason.SANDBOX_REFUSED, run.refusal(), usage, log));
        }
        if (!repeat.protectedViolations().isEmpty()) {
            return Optional.of(new Outcome.Failed(FailureReason.CRASHED,
                    which + "protected path modified: " + listed(repeat.protectedViolations()), usage, log));
        }
        Optional<String> problem = runProblem(run);
        if (problem.isPresent()) {
            FailureReason reason = run.timedOut() && run.exceeded() == null ? FailureReason.TIMEOUT
                    : FailureReason.CRASHED;
            return Optional.of(new Outcome.Failed(reason, which + problem.get(), usage, log));
        }
        if (repeat.metrics() instanceof MetricsParse.Invalid invalid) {
            return Optional.of(new Outcome.Failed(FailureReason.BAD_METRICS, which + invalid.problem(), usage, log));
        }
        return Optional.empty();
    }

    /**
     * The failure caused by the build step, if any: refusal (SANDBOX_REFUSED), or a protected
     * path modified, timeout, output flood or non-zero exit (all BUILD_FAILED).
     */
    public static Optional<Outcome.Failed> buildFailure(RawRun build, List<String> protectedViolations,
                                                        ResourceUsage usage) {
        if (build.wasRefused()) {
            return Optional.of(new Outcome.Failed(FailureReason.SANDBOX_REFUSED, build.refusal(), usage,
                    build.logTail()));
        }
        if (!protectedViolations.isEmpty()) {
            return Optional.of(new Outcome.Failed(FailureReason.BUILD_FAILED,
                    "build: protected path modified: " + listed(protectedViolations), usage,
                    build.logTail()));
        }
        return runProblem(build).map(problem -> new Outcome.Failed(FailureReason.BUILD_FAILED,
                "build " + problem, usage, build.logTail()));
    }

    /** The validation's result when the study names no validation command: passed, as nothing can fail. */
    public static ValidationResult noValidationCommand() {
        return new ValidationResult(true, "no validation command", "");
    }

    /**
     * The validation command's verdict: passed when it exited 0 and was neither timed out nor cut off for its
     * output; a refused run counts as its exit code (-1). The log tail is the run's last {@link Tails#LOG_TAIL_BYTES}.
     */
    public static ValidationResult validation(RawRun tests) {
        String logTail = Tails.lastBytes(tests.logTail(), Tails.LOG_TAIL_BYTES);
        if (tests.exitCode() == 0 && !tests.timedOut() && !tests.outputLimitHit()) {
            return new ValidationResult(true, "validation passed", logTail);
        }
        return new ValidationResult(false, tests.timedOut() ? "validation timed out"
                : "validation exited with " + tests.exitCode(), logTail);
    }

    /**
     * The held-out command's verdict, after {@code passed} validation: its {@code metric} when the run exited 0
     * within its timeout and {@code metrics} (read from its stdout) carry it; otherwise a failed validation saying
     * why there is no held-out metric. {@code metrics} of a run that failed are not looked at.
     */
    public static Outcome.ValidationVerdict heldOut(ValidationResult passed, RawRun run, MetricsParse metrics, String metric) {
        if (!passed.passed()) {
            throw new IllegalArgumentException("the held-out command runs only after a passed validation");
        }
        MetricsParse judged = run.exitCode() == 0 && !run.timedOut() ? metrics
                : new MetricsParse.Invalid("held-out command exited with " + run.exitCode()
                        + (run.timedOut() ? " (timed out)" : ""));
        return switch (judged) {
            case MetricsParse.Parsed ok -> new Outcome.ValidationVerdict(passed, ok.metrics().get(metric));
            case MetricsParse.Invalid bad -> new Outcome.ValidationVerdict(new ValidationResult(false,
                    "held-out metric unavailable: " + bad.problem(), Tails.lastBytes(run.logTail(), Tails.LOG_TAIL_BYTES)),
                    null);
        };
    }

    /** The first few paths and how many more: an experiment can create any number of files under a protected glob. */
    static String listed(List<String> paths) {
        int shown = Math.min(paths.size(), 10);
        String first = String.join(", ", paths.subList(0, shown));
        return shown == paths.size() ? first : first + " and " + (paths.size() - shown) + " more";
    }

    /** Why a run that did execute is unusable, independent of its metrics. */
    private static Optional<String> runProblem(RawRun run) {
        if (run.exceeded() != null) {
            return Optional.of(run.exceeded().detail());
        }
        if (run.timedOut()) {
            return Optional.of("timed out after " + run.wallMillis() + " ms");
        }
        if (run.outputLimitHit()) {
            return Optional.of("output limit exceeded");
        }
        if (run.exitCode() != 0) {
            return Optional.of(describeExit(run.exitCode()));
        }
        return Optional.empty();
    }

    static String describeExit(int exitCode) {
        if (exitCode > 128 && exitCode < 160) {
            int signal = exitCode - 128;
            String hint = switch (signal) {
                case 9 -> " (SIGKILL)";
                case 24 -> " (SIGXCPU: CPU time limit exceeded)";
                case 25 -> " (SIGXFSZ: file size limit exceeded)";
                case 11 -> " (SIGSEGV; can be an allocation beyond the memory limit)";
                case 6 -> " (SIGABRT; can be an allocation beyond the memory limit)";
                default -> "";
            };
            return "killed by signal " + signal + hint + ", exit code " + exitCode;
        }
        return "exit code " + exitCode;
    }

    /** Wall and CPU time summed, peak RSS maximised over the given runs. */
    public static ResourceUsage usage(List<RawRun> runs) {
        long wall = 0;
        long cpu = 0;
        long rss = 0;
        for (RawRun r : runs) {
            wall += Math.max(0, r.wallMillis());
            cpu += Math.max(0, r.cpuMillis());
            rss = Math.max(rss, r.maxRssKiB());
        }
        return new ResourceUsage(wall, cpu, rss);
    }
}
