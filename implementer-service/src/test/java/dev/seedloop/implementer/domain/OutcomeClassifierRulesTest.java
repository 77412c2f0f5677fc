package dev.seedloop.implementer.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.FailureReason;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.ValidationResult;

/** Every pass/fail rule of {@link OutcomeClassifier}, one at a time, with the edges between them. */
class OutcomeClassifierRulesTest {

    private static final MetricsParse OK = new MetricsParse.Parsed(Map.of("loss", 1.0), "stdout");
    private static final MetricsParse NONE = new MetricsParse.Invalid("no metrics: print a JSON object");

    /** A run that exited with {@code exit}, 100 ms of wall and 40 ms of CPU time, 2 MiB of RSS. */
    private static RawRun exited(int exit) {
        return new RawRun(exit, false, false, "", "log of exit " + exit, 100, 40, 2048);
    }

    private static RawRun timedOut() {
        return new RawRun(137, true, false, "", "slow", 1003, 900, 1024);
    }

    private static RawRun flooded() {
        return new RawRun(137, false, true, "", "yyyy", 80, 70, 1024);
    }

    private static RawRun stoppedFor(ExceededLimit limit) {
        return new RawRun(137, false, false, "", "killed", 100, 40, 2048, null, limit);
    }

    private static RepeatRun repeat(RawRun run, MetricsParse metrics, String... violations) {
        return new RepeatRun(7, run, metrics, List.of(violations));
    }

    private static Outcome.Failed failed(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        return (Outcome.Failed) outcome;
    }

    private static Outcome.Failed onlyRepeat(RepeatRun repeat) {
        return failed(OutcomeClassifier.classify(null, List.of(repeat)));
    }

    @Nested
    class TheBuild {

        private Optional<Outcome.Failed> buildFailure(RawRun build, String... violations) {
            return OutcomeClassifier.buildFailure(build, List.of(violations), ResourceUsage.NONE);
        }

        @Test
        void aCleanBuildIsNoFailure() {
            assertThat(buildFailure(exited(0))).isEmpty();
        }

        @Test
        void aRefusedBuildIsSandboxRefusedWithTheExecutorsExplanation() {
            assertThat(buildFailure(RawRun.refused("no bwrap here"))).get()
                    .extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                    .containsExactly(FailureReason.SANDBOX_REFUSED, "no bwrap here");
        }

        @Test
        void everyOtherProblemOfTheBuildIsBuildFailedSayingWhich() {
            assertThat(buildFailure(exited(0), "tests/a.py", "tests/b.py")).get()
                    .extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                    .containsExactly(FailureReason.BUILD_FAILED, "build: protected path modified: tests/a.py, tests/b.py");
            assertThat(buildFailure(timedOut())).get().extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                    .containsExactly(FailureReason.BUILD_FAILED, "build timed out after 1003 ms");
            assertThat(buildFailure(flooded())).get().extracting(Outcome.Failed::detail)
                    .isEqualTo("build output limit exceeded");
            assertThat(buildFailure(stoppedFor(ExceededLimit.MEMORY))).get().extracting(Outcome.Failed::reason,
                    Outcome.Failed::detail).containsExactly(FailureReason.BUILD_FAILED,
                    "build " + ExceededLimit.MEMORY.detail());
            assertThat(buildFailure(exited(2))).get().extracting(Outcome.Failed::detail)
                    .isEqualTo("build exit code 2");
        }

        @Test
        void aFailedBuildDecidesWhateverTheRepeatsDid() {
            Outcome.Failed f = failed(OutcomeClassifier.classify(exited(2),
                    List.of(repeat(exited(3), NONE), repeat(timedOut(), OK))));

            assertThat(f.reason()).isEqualTo(FailureReason.BUILD_FAILED);
            assertThat(f.detail()).isEqualTo("build exit code 2");
            assertThat(f.logTail()).isEqualTo("log of exit 2");
            assertThat(f.usage()).as("usage still counts every run").isEqualTo(new ResourceUsage(1203, 980, 2048));
        }
    }

    @Nested
    class ARepeat {

        @Test
        void aCleanRunWithMetricsPasses() {
            assertThat(OutcomeClassifier.repeatFailed(repeat(exited(0), OK))).isFalse();
            assertThat(OutcomeClassifier.classify(null, List.of(repeat(exited(0), OK))))
                    .isInstanceOf(Outcome.Completed.class);
        }

        @Test
        void aRefusalBeatsEverythingElse() {
            RawRun refused = RawRun.refused("cannot hand the workspace over");
            assertThat(onlyRepeat(repeat(refused, NONE, "tests/x"))).extracting(Outcome.Failed::reason,
                    Outcome.Failed::detail).containsExactly(FailureReason.SANDBOX_REFUSED, "cannot hand the workspace over");
        }

        @Test
        void aModifiedProtectedPathBeatsLimitsTimeoutsAndExitCodes() {
            RawRun everythingWrong = new RawRun(1, true, true, "", "", 100, 40, 2048, null, ExceededLimit.DISK);
            assertThat(onlyRepeat(repeat(everythingWrong, NONE, "tests/x"))).extracting(Outcome.Failed::reason,
                    Outcome.Failed::detail).containsExactly(FailureReason.CRASHED, "protected path modified: tests/x");
        }

        @Test
        void aWholeExperimentLimitIsACrashEvenWhenTheRunAlsoTimedOut() {
            for (ExceededLimit limit : ExceededLimit.values()) {
                RawRun both = new RawRun(137, true, false, "", "", 100, 40, 2048, null, limit);
                assertThat(onlyRepeat(repeat(both, OK))).extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                        .containsExactly(FailureReason.CRASHED, limit.detail());
            }
        }

        @Test
        void anOutOfMemoryKillIsACrashSayingTheMemoryLimit() {
            assertThat(onlyRepeat(repeat(stoppedFor(ExceededLimit.MEMORY), OK)).detail())
                    .startsWith("memory limit exceeded");
        }

        @Test
        void aTimeoutIsTimeoutWithTheWallTimeAndBeatsTheOutputCap() {
            RawRun slowAndLoud = new RawRun(137, true, true, "", "", 2000, 10, 10);
            assertThat(onlyRepeat(repeat(slowAndLoud, OK))).extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                    .containsExactly(FailureReason.TIMEOUT, "timed out after 2000 ms");
        }

        @Test
        void theOutputCapBeatsTheExitCode() {
            assertThat(onlyRepeat(repeat(flooded(), OK))).extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                    .containsExactly(FailureReason.CRASHED, "output limit exceeded");
        }

        @Test
        void exitCodesAreCrashesAndSignalsAreNamed() {
            assertThat(onlyRepeat(repeat(exited(1), OK)).detail()).isEqualTo("exit code 1");
            assertThat(onlyRepeat(repeat(exited(128), OK)).detail()).as("128 is no signal").isEqualTo("exit code 128");
            assertThat(onlyRepeat(repeat(exited(129), OK)).detail()).isEqualTo("killed by signal 1, exit code 129");
            assertThat(onlyRepeat(repeat(exited(134), OK)).detail())
                    .isEqualTo("killed by signal 6 (SIGABRT; can be an allocation beyond the memory limit), exit code 134");
            assertThat(onlyRepeat(repeat(exited(137), OK)).detail()).isEqualTo("killed by signal 9 (SIGKILL), exit code 137");
            assertThat(onlyRepeat(repeat(exited(139), OK)).detail())
                    .isEqualTo("killed by signal 11 (SIGSEGV; can be an allocation beyond the memory limit), exit code 139");
            assertThat(onlyRepeat(repeat(exited(152), OK)).detail())
                    .isEqualTo("killed by signal 24 (SIGXCPU: CPU time limit exceeded), exit code 152");
            assertThat(onlyRepeat(repeat(exited(153), OK)).detail())
                    .isEqualTo("killed by signal 25 (SIGXFSZ: file size limit exceeded), exit code 153");
            assertThat(onlyRepeat(repeat(exited(159), OK)).detail()).isEqualTo("killed by signal 31, exit code 159");
            assertThat(onlyRepeat(repeat(exited(160), OK)).detail()).as("beyond the signals").isEqualTo("exit code 160");
            assertThat(onlyRepeat(repeat(exited(-1), OK))).extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                    .containsExactly(FailureReason.CRASHED, "exit code -1");
        }

        @Test
        void aNonZeroExitBeatsMissingMetrics() {
            assertThat(onlyRepeat(repeat(exited(3), NONE)).reason()).isEqualTo(FailureReason.CRASHED);
        }

        @Test
        void missingOrInvalidMetricsOfACleanRunAreBadMetricsWithTheProblem() {
            assertThat(onlyRepeat(repeat(exited(0), NONE))).extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                    .containsExactly(FailureReason.BAD_METRICS, "no metrics: print a JSON object");
            MetricsParse nan = new MetricsParse.Invalid("metric 'loss' in stdout is not finite: NaN");
            assertThat(onlyRepeat(repeat(exited(0), nan)).detail()).isEqualTo("metric 'loss' in stdout is not finite: NaN");
            assertThat(OutcomeClassifier.repeatFailed(repeat(exited(0), nan))).isTrue();
        }

        @Test
        void detailsNameTheRepeatOnlyWhenThereAreSeveral() {
            assertThat(failed(OutcomeClassifier.classify(null, List.of(repeat(exited(3), OK)), 1)).detail())
                    .isEqualTo("exit code 3");
            assertThat(failed(OutcomeClassifier.classify(null, List.of(repeat(exited(0), OK), repeat(exited(3), OK)),
                    5)).detail()).as("the runner stopped after repeat 2 of 5").isEqualTo("repeat 2/5: exit code 3");
        }

        @Test
        void theFirstFailingRepeatDecidesAndItsLogIsTheTail() {
            Outcome.Failed f = failed(OutcomeClassifier.classify(null,
                    List.of(repeat(exited(0), OK), repeat(timedOut(), OK), repeat(exited(3), NONE))));

            assertThat(f.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(f.detail()).isEqualTo("repeat 2/3: timed out after 1003 ms");
            assertThat(f.logTail()).isEqualTo("slow");
        }

        @Test
        void usageSumsTimesOverTheBuildAndRepeatsTakesTheLargestRssAndIgnoresNegativeTimes() {
            RawRun oddBuild = new RawRun(0, false, false, "", "", -5, -1, 512);
            Outcome.Completed done = (Outcome.Completed) OutcomeClassifier.classify(oddBuild,
                    List.of(repeat(exited(0), OK), repeat(new RawRun(0, false, false, "", "last", 1, 2, 4), OK)));

            assertThat(done.usage()).isEqualTo(new ResourceUsage(101, 42, 2048));
            assertThat(done.logTail()).as("the last repeat's log").isEqualTo("last");
            assertThat(done.validation()).isNull();
            assertThat(done.heldOut()).isNull();
        }

        @Test
        void anExperimentWithoutRepeatsCannotBeClassified() {
            assertThatThrownBy(() -> OutcomeClassifier.classify(null, List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class TheValidation {

        @Test
        void withoutAValidationCommandItPasses() {
            assertThat(OutcomeClassifier.noValidationCommand())
                    .isEqualTo(new ValidationResult(true, "no validation command", ""));
        }

        @Test
        void itPassesWhenItsCommandExitsZero() {
            assertThat(OutcomeClassifier.validation(exited(0)))
                    .isEqualTo(new ValidationResult(true, "validation passed", "log of exit 0"));
        }

        @Test
        void aNonZeroExitATimeoutOrARefusalFailsIt() {
            assertThat(OutcomeClassifier.validation(exited(1)))
                    .isEqualTo(new ValidationResult(false, "validation exited with 1", "log of exit 1"));
            assertThat(OutcomeClassifier.validation(timedOut()))
                    .isEqualTo(new ValidationResult(false, "validation timed out", "slow"));
            assertThat(OutcomeClassifier.validation(flooded()).passed()).isFalse();
            assertThat(OutcomeClassifier.validation(RawRun.refused("no sandbox")))
                    .isEqualTo(new ValidationResult(false, "validation exited with -1", ""));
        }

        @Test
        void theOutputCapFailsItEvenWhenTheCommandExitedZero() {
            RawRun loudButZero = new RawRun(0, false, true, "", "", 10, 10, 10);
            assertThat(OutcomeClassifier.validation(loudButZero).passed()).isFalse();
        }

        @Test
        void itsLogTailIsTheLast4KiB() {
            String log = "head" + "x".repeat(10_000) + "-end";
            ValidationResult result = OutcomeClassifier.validation(new RawRun(1, false, false, "", log, 1, 1, 1));
            assertThat(result.logTail().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(Tails.LOG_TAIL_BYTES);
            assertThat(result.logTail()).endsWith("-end").doesNotContain("head");
        }
    }

    @Nested
    class TheHeldOutCommand {

        private static final ValidationResult PASSED = new ValidationResult(true, "validation passed", "tests ok");

        @Test
        void aCleanRunReportingTheMetricGivesItAndKeepsTheValidation() {
            MetricsParse reported = new MetricsParse.Parsed(Map.of("heldout_loss", 0.25, "other", 1.0), "stdout");
            assertThat(OutcomeClassifier.heldOut(PASSED, exited(0), reported, "heldout_loss"))
                    .isEqualTo(new Outcome.ValidationVerdict(PASSED, 0.25));
        }

        @Test
        void invalidOrMissingMetricsFailTheValidationWithoutAMetric() {
            MetricsParse missing = new MetricsParse.Invalid("objective metric 'heldout_loss' missing from metrics");
            Outcome.ValidationVerdict evaluation = OutcomeClassifier.heldOut(PASSED, exited(0), missing, "heldout_loss");

            assertThat(evaluation.heldOut()).isNull();
            assertThat(evaluation.validation()).isEqualTo(new ValidationResult(false,
                    "held-out metric unavailable: objective metric 'heldout_loss' missing from metrics", "log of exit 0"));
        }

        @Test
        void aFailedRunHasNoMetricWhateverItPrinted() {
            MetricsParse printed = new MetricsParse.Parsed(Map.of("heldout_loss", 0.1), "stdout");
            assertThat(OutcomeClassifier.heldOut(PASSED, exited(2), printed, "heldout_loss")).isEqualTo(
                    new Outcome.ValidationVerdict(new ValidationResult(false,
                            "held-out metric unavailable: held-out command exited with 2", "log of exit 2"), null));
            assertThat(OutcomeClassifier.heldOut(PASSED, timedOut(), printed, "heldout_loss").validation().detail())
                    .isEqualTo("held-out metric unavailable: held-out command exited with 137 (timed out)");
            assertThat(OutcomeClassifier.heldOut(PASSED, RawRun.refused("no sandbox"), printed, "heldout_loss")
                    .validation().detail()).isEqualTo("held-out metric unavailable: held-out command exited with -1");
        }

        @Test
        void itRunsOnlyAfterAPassedValidation() {
            ValidationResult failedValidation = new ValidationResult(false, "validation exited with 1", "");
            assertThatThrownBy(() -> OutcomeClassifier.heldOut(failedValidation, exited(0), OK, "loss"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Outcome.Completed(List.of(new dev.seedloop.events.RepeatResult(1,
                    Map.of("loss", 1.0), 1, 0)), ResourceUsage.NONE, "", failedValidation, 0.5))
                    .as("no held-out metric beside a failed validation").isInstanceOf(IllegalArgumentException.class);
        }
    }
}
