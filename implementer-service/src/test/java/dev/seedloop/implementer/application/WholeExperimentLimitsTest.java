package dev.seedloop.implementer.application;

import static dev.seedloop.implementer.application.Fixtures.FAST;
import static dev.seedloop.implementer.application.Fixtures.sh;
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
import dev.seedloop.implementer.domain.ExceededLimit;
import dev.seedloop.implementer.domain.Outcome;
import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RunRequest;

/**
 * Memory and process limits hold for all processes of a run together (cgroup v1 memory and pids controllers),
 * against the real bubblewrap and the machine's cgroups; what an experiment writes is capped by its workspace's own
 * volume.
 */
class WholeExperimentLimitsTest {

    @TempDir
    Path tmp;

    private BubblewrapExecutor bwrap;
    private Path ws;

    @BeforeEach
    void setUp() throws Exception {
        bwrap = Fixtures.bubblewrap();
        ws = Fixtures.workspace(tmp);
    }

    @Test
    void aForkBombIsStoppedByTheProcessLimitOfTheWholeTree() throws Exception {
        Fixtures.requireBash();
        long start = System.nanoTime();
        // The command stays (sleep, not wait): with `wait` it returned as soon as the first pipeline's shells had
        // forked theirs, and on a loaded machine the namespace's end killed the bomb before it reached the limit.
        RawRun run = bwrap.run(new RunRequest(ws, List.of("bash", "-c", "bomb() { bomb | bomb & }; bomb; sleep 20"),
                Map.of(), FAST.withMaxProcesses(32).withWallTimeout(Duration.ofSeconds(30))));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stopped, not left to the wall timeout")
                .isLessThan(Duration.ofSeconds(15));
        assertThat(run.timedOut()).isFalse();
        assertThat(run.exceeded()).isEqualTo(ExceededLimit.PROCESSES);
    }

    @Test
    void severalProcessesTogetherCannotUseMoreThanTheMemoryLimit() throws Exception {
        // Five processes of 40 MiB each: every one is far below the limit, together they are twice over it.
        String hold = "perl -e '$x = \"x\" x (40 * 1024 * 1024); sleep 3; print \"held\\n\"' &";
        RawRun run = bwrap.run(sh(ws, hold.repeat(5) + " wait; echo all-done",
                FAST.withMemoryMiB(100).withWallTimeout(Duration.ofSeconds(20))));

        assertThat(run.exceeded()).isEqualTo(ExceededLimit.MEMORY);
        assertThat(run.stdoutTail()).doesNotContain("all-done");
    }

    @Test
    void processesWithinTheLimitsRunUndisturbed() throws Exception {
        String hold = "perl -e '$x = \"x\" x (10 * 1024 * 1024); print \"held\\n\"' &";
        RawRun run = bwrap.run(sh(ws, hold.repeat(3) + " wait; echo all-done",
                FAST.withMemoryMiB(200).withMaxProcesses(16)));

        assertThat(run.exceeded()).isNull();
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdoutTail()).contains("all-done");
    }

    @Test
    void writingBeyondTheDiskQuotaFailsTheExperimentAndTheHostDiskIsSpared() throws Exception {
        Outcome outcome = inQuotaWorkspace(8L << 20, "head -c 64M /dev/zero > big; ls -l big; echo '{\"score\": 1}'");

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.CRASHED);
            assertThat(failed.detail()).startsWith("disk quota exceeded");
        });
        assertThat(bigFileBytes).as("the volume's end stopped the write").isLessThan(64L << 20);
    }

    @Test
    void writingWithinTheDiskQuotaCompletes() throws Exception {
        Outcome outcome = inQuotaWorkspace(8L << 20, "head -c 4M /dev/zero > big; echo '{\"score\": 1}'");

        assertThat(outcome).isInstanceOf(Outcome.Completed.class);
        assertThat(bigFileBytes).isEqualTo(4L << 20);
    }

    private long bigFileBytes;

    private Outcome inQuotaWorkspace(long diskBytes, String script) throws Exception {
        Path experiments = tmp.resolve("experiments");
        DiskVolumes volumes = Fixtures.volumes(experiments);
        Path base = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(base.resolve("data.txt"), "x".repeat(100_000));
        WorkspaceMaterializer materializer = new WorkspaceMaterializer(experiments, List.of(), volumes, diskBytes);
        MaterializedWorkspace workspace = materializer.materialize(base, "quota", Map.of("x", 1));
        try {
            assertThat(workspace.diskCeilingBytes()).isNotNull();
            Outcome outcome = new ExperimentRunner(bwrap, materializer).run(workspace, new ExperimentPlan(List.of(),
                    List.of("sh", "-c", script), 1, 7, "score", FAST.withDiskBytes(diskBytes)));
            Path big = workspace.dir().resolve("big");
            bigFileBytes = Files.exists(big) ? Files.size(big) : 0;
            return outcome;
        } finally {
            WorkspaceMaterializer.release(workspace.dir());
        }
    }
}
