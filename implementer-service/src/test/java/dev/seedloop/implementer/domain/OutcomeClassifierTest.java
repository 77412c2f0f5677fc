package dev.seedloop.implementer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.FailureReason;
import dev.seedloop.events.ResourceUsage;

class OutcomeClassifierTest {

    private static final MetricsParse OK = new MetricsParse.Parsed(Map.of("loss", 1.0), "stdout");

    private static RawRun run(int exit, boolean timedOut, boolean flooded, String log) {
        return new RawRun(exit, timedOut, flooded, "", log, 100, 40, 2048);
    }

    private static RepeatRun repeat(RawRun run, MetricsParse metrics, String... violations) {
        return new RepeatRun(7, run, metrics, List.of(violations));
    }

    private static Outcome.Failed failed(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        return (Outcome.Failed) outcome;
    }

    @Test
    void aWholeExperimentLimitTheExecutorStoppedTheRunForIsACrashSayingWhich() {
        for (ExceededLimit limit : ExceededLimit.values()) {
            RawRun killed = new RawRun(137, false, false, "", "log", 100, 40, 2048, null, limit);
            Outcome.Failed failed = failed(OutcomeClassifier.classify(null, List.of(repeat(killed, OK)), 2));
            assertThat(failed.reason()).isEqualTo(FailureReason.CRASHED);
            assertThat(failed.detail()).isEqualTo("repeat 1/2: " + limit.detail());
            assertThat(failed(OutcomeClassifier.classify(killed, List.of(repeat(run(0, false, false, ""), OK))))
                    .reason()).as("in the build").isEqualTo(FailureReason.BUILD_FAILED);
        }
        assertThat(ExceededLimit.MEMORY.detail()).startsWith("memory limit exceeded");
        assertThat(ExceededLimit.PROCESSES.detail()).startsWith("process limit exceeded");
        assertThat(ExceededLimit.DISK.detail()).startsWith("disk quota exceeded");
    }

    @Test
    void completedCarriesRepeatsAndUsage() {
        Outcome outcome = OutcomeClassifier.classify(run(0, false, false, "b"),
                List.of(repeat(run(0, false, false, "r1"), OK), repeat(new RawRun(0, false, false, "", "r2", 50, 10, 4096), OK)));
        assertThat(outcome).isInstanceOf(Outcome.Completed.class);
        Outcome.Completed done = (Outcome.Completed) outcome;
        assertThat(done.repeats()).hasSize(2);
        assertThat(done.repeats().get(0).metrics()).containsEntry("loss", 1.0);
        assertThat(done.usage()).isEqualTo(new ResourceUsage(250, 90, 4096));
        assertThat(done.logTail()).isEqualTo("r2");
    }

    @Test
    void eachReasonAndItsPrecedence() {
        assertThat(failed(OutcomeClassifier.classify(null, List.of(repeat(RawRun.refused("no bwrap"), OK)))))
                .extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                .containsExactly(FailureReason.SANDBOX_REFUSED, "no bwrap");
        assertThat(failed(OutcomeClassifier.classify(null, List.of(repeat(run(1, true, true, ""), OK, "tests/t.py")))))
                .extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                .containsExactly(FailureReason.CRASHED, "protected path modified: tests/t.py");
        assertThat(failed(OutcomeClassifier.classify(null, List.of(repeat(run(137, true, false, ""), OK)))).reason())
                .isEqualTo(FailureReason.TIMEOUT);
        assertThat(failed(OutcomeClassifier.classify(null, List.of(repeat(run(137, false, true, ""), OK)))))
                .extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                .containsExactly(FailureReason.CRASHED, "output limit exceeded");
        assertThat(failed(OutcomeClassifier.classify(null, List.of(repeat(run(3, false, false, ""), OK)))))
                .extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                .containsExactly(FailureReason.CRASHED, "exit code 3");
        assertThat(failed(OutcomeClassifier.classify(null, List.of(repeat(run(152, false, false, ""), OK)))).detail())
                .contains("SIGXCPU");
        assertThat(failed(OutcomeClassifier.classify(null, List.of(repeat(run(0, false, false, ""),
                new MetricsParse.Invalid("no metrics")))))).extracting(Outcome.Failed::reason, Outcome.Failed::detail)
                .containsExactly(FailureReason.BAD_METRICS, "no metrics");
    }

    @Test
    void buildFailureWinsAndIsBuildFailed() {
        Outcome.Failed f = failed(OutcomeClassifier.classify(run(2, false, false, "make: error"),
                List.of(repeat(run(0, false, false, ""), OK))));
        assertThat(f.reason()).isEqualTo(FailureReason.BUILD_FAILED);
        assertThat(f.detail()).isEqualTo("build exit code 2");
        assertThat(f.logTail()).isEqualTo("make: error");
        assertThat(failed(OutcomeClassifier.classify(run(137, true, false, ""), List.of())).reason())
                .isEqualTo(FailureReason.BUILD_FAILED);
    }

    @Test
    void anyFailingRepeatFailsTheExperimentWithItsReason() {
        Outcome.Failed f = failed(OutcomeClassifier.classify(null, List.of(
                repeat(run(0, false, false, ""), OK), repeat(run(137, true, false, "second"), OK))));
        assertThat(f.reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(f.detail()).startsWith("repeat 2/2: timed out");
        assertThat(f.logTail()).isEqualTo("second");
        assertThat(f.usage().wallMillis()).isEqualTo(200);
    }

    @Test
    void logTailIsBoundedToTheLast4KiB() {
        String log = "head" + "x".repeat(10_000) + "é-end";
        Outcome.Failed f = failed(OutcomeClassifier.classify(null, List.of(repeat(run(1, false, false, log), OK))));
        assertThat(f.logTail().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
        assertThat(f.logTail()).endsWith("é-end").doesNotContain("head");
    }

    @Test
    void aFloodOfProtectedFilesIsListedBriefly() {
        List<String> many = java.util.stream.IntStream.range(0, 100_000).mapToObj(i -> "tests/f" + i).toList();
        Outcome.Failed failed = failed(OutcomeClassifier.classify(null,
                List.of(new RepeatRun(7, run(0, false, false, ""), OK, many))));

        assertThat(failed.detail()).startsWith("protected path modified: tests/f0, tests/f1,")
                .endsWith(" and 99990 more");
        assertThat(failed.detail().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Tails.DETAIL_BYTES);
    }
}
