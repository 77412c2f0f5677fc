package dev.seedloop.implementer.application;

import static dev.seedloop.implementer.application.Fixtures.FAST;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.FailureReason;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.implementer.domain.Outcome;
import dev.seedloop.implementer.domain.RunLimits;

class ExperimentRunnerTest {

    @TempDir
    Path tmp;

    private Path base;
    private WorkspaceMaterializer materializer;
    private int experiments;

    @BeforeEach
    void setUp() throws Exception {
        Fixtures.searchable(tmp);
        base = tmp.resolve("base");
        Files.createDirectories(base.resolve("tests"));
        Files.writeString(base.resolve("tests/test_x.py"), "assert True\n");
        materializer = new WorkspaceMaterializer(tmp.resolve("experiments"), List.of("tests/**"));
    }

    private Outcome run(ExperimentExecutor executor, List<String> build, String script, int repeats,
                        RunLimits limits) throws Exception {
        MaterializedWorkspace ws = materializer.materialize(base, "exp-" + experiments++, Map.of("lr", 0.25));
        ExperimentPlan plan = new ExperimentPlan(build, List.of("sh", "-c", script), repeats, 42, "score", limits);
        return new ExperimentRunner(executor, materializer).run(ws, plan);
    }

    private Outcome bwrap(String script) throws Exception {
        return run(Fixtures.bubblewrap(), List.of(), script, 1, FAST);
    }

    private static Outcome.Failed failed(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Failed.class);
        return (Outcome.Failed) outcome;
    }

    @Test
    void happyPathWithDistinctSeedsAndParams() throws Exception {
        Outcome outcome = run(Fixtures.bubblewrap(), List.of("sh", "-c", "echo built > build.txt"),
                "test -f params.json && test -f build.txt || exit 9; echo '{\"score\": 0}';"
                        + " echo \"{\\\"score\\\": $SEEDLOOP_SEED, \\\"lr\\\": $SEEDLOOP_PARAM_LR}\"; echo done",
                3, FAST);
        assertThat(outcome).isInstanceOf(Outcome.Completed.class);
        List<RepeatResult> repeats = ((Outcome.Completed) outcome).repeats();
        assertThat(repeats).hasSize(3);
        assertThat(repeats).extracting(RepeatResult::seed).doesNotHaveDuplicates()
                .containsExactly(ExperimentRunner.seed(42, 0), ExperimentRunner.seed(42, 1), ExperimentRunner.seed(42, 2));
        for (RepeatResult r : repeats) {
            assertThat(r.metrics()).containsExactly(Map.entry("score", (double) r.seed()), Map.entry("lr", 0.25));
        }
        assertThat(outcome.usage().wallMillis()).isPositive();
        assertThat(outcome.logTail()).endsWith("done\n");
    }

    @Test
    void metricsFileIsTheFallbackAndNotReusedAcrossRepeats() throws Exception {
        Outcome outcome = run(Fixtures.bubblewrap(), List.of(),
                "if [ \"$SEEDLOOP_REPEAT\" = 0 ]; then echo '{\"score\": 1}' > metrics.json; fi", 2, FAST);
        assertThat(failed(outcome).reason()).isEqualTo(FailureReason.BAD_METRICS);
        assertThat(failed(outcome).detail()).startsWith("repeat 2/2: no metrics");
    }

    @Test
    void crashIsCrashed() throws Exception {
        Outcome.Failed f = failed(bwrap("echo boom >&2; exit 3"));
        assertThat(f.reason()).isEqualTo(FailureReason.CRASHED);
        assertThat(f.detail()).isEqualTo("exit code 3");
        assertThat(f.logTail()).contains("boom");
    }

    @Test
    void hangIsTimeout() throws Exception {
        Outcome.Failed f = failed(run(Fixtures.bubblewrap(), List.of(), "sleep 60", 1,
                FAST.withWallTimeout(Duration.ofSeconds(1))));
        assertThat(f.reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(f.usage().wallMillis()).isBetween(900L, 3000L);
    }

    @Test
    void noMetricsOrNaNIsBadMetrics() throws Exception {
        assertThat(failed(bwrap("echo hello")).reason()).isEqualTo(FailureReason.BAD_METRICS);
        Outcome.Failed nan = failed(bwrap("echo '{\"score\": NaN}'"));
        assertThat(nan.reason()).isEqualTo(FailureReason.BAD_METRICS);
        assertThat(nan.detail()).contains("not finite");
        assertThat(failed(bwrap("echo '{\"loss\": 1}'")).detail()).contains("objective metric 'score' missing");
    }

    @Test
    void floodIsCrashedWithOutputLimit() throws Exception {
        Outcome.Failed f = failed(run(Fixtures.bubblewrap(), List.of(), "yes | head -c 50000000", 1,
                FAST.withMaxOutputBytes(100_000)));
        assertThat(f.reason()).isEqualTo(FailureReason.CRASHED);
        assertThat(f.detail()).isEqualTo("output limit exceeded");
        assertThat(f.logTail().length()).isLessThanOrEqualTo(4096);
    }

    @Test
    void failingBuildIsBuildFailed() throws Exception {
        Outcome.Failed f = failed(run(Fixtures.bubblewrap(), List.of("sh", "-c", "echo 'cc: error' >&2; exit 2"),
                "echo '{\"score\": 1}'", 1, FAST));
        assertThat(f.reason()).isEqualTo(FailureReason.BUILD_FAILED);
        assertThat(f.detail()).isEqualTo("build exit code 2");
        assertThat(f.logTail()).contains("cc: error");
    }

    @Test
    void oneFailingRepeatFailsTheExperiment() throws Exception {
        Outcome.Failed f = failed(run(Fixtures.bubblewrap(), List.of(),
                "[ \"$SEEDLOOP_REPEAT\" = 1 ] && exit 4; echo '{\"score\": 1}'", 3, FAST));
        assertThat(f.reason()).isEqualTo(FailureReason.CRASHED);
        assertThat(f.detail()).isEqualTo("repeat 2/3: exit code 4");
    }

    @Test
    void refusedSandboxIsSandboxRefused() throws Exception {
        Outcome.Failed f = failed(run(new RefusingExecutor(ExecutorSelector.REFUSAL), List.of(), "true", 2, FAST));
        assertThat(f.reason()).isEqualTo(FailureReason.SANDBOX_REFUSED);
        assertThat(f.detail()).contains("apt-get install bubblewrap");
    }

    @Test
    void editingAProtectedFileFailsTheExperiment() throws Exception {
        // Without bwrap the edit succeeds and is caught by the post-run hash check.
        Outcome.Failed f = failed(run(new ProcessExecutor(), List.of(),
                "echo 'assert False' > tests/test_x.py; echo '{\"score\": 1}'", 1, FAST));
        assertThat(f.reason()).isEqualTo(FailureReason.CRASHED);
        assertThat(f.detail()).isEqualTo("protected path modified: tests/test_x.py");
        // With bwrap the edit itself fails and the file stays intact.
        Outcome sandboxed = bwrap("echo 'assert False' > tests/test_x.py; echo '{\"score\": 1}'");
        assertThat(sandboxed).isInstanceOf(Outcome.Completed.class);
        assertThat(sandboxed.logTail()).contains("Read-only file system");
    }

    @Test
    void seedsAreDeterministicDistinctAndNonNegative() {
        assertThat(ExperimentRunner.seed(7, 0)).isEqualTo(ExperimentRunner.seed(7, 0)).isNotEqualTo(ExperimentRunner.seed(8, 0));
        for (int i = 0; i < 100; i++) {
            assertThat(ExperimentRunner.seed(-1, i)).isBetween(0L, (long) Integer.MAX_VALUE);
        }
        assertThat(java.util.stream.IntStream.range(0, 1000).mapToLong(i -> ExperimentRunner.seed(3, i)).distinct().count())
                .isEqualTo(1000);
    }
}
