package dev.seedloop.implementer.application;

import static dev.seedloop.implementer.application.Fixtures.FAST;
import static dev.seedloop.implementer.application.Fixtures.UNHURRIED;
import static dev.seedloop.implementer.application.Fixtures.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.implementer.domain.ExceededLimit;
import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.ReadOnlyMount;
import dev.seedloop.implementer.domain.RunRequest;

class BubblewrapExecutorTest {

    @TempDir
    Path tmp;

    private BubblewrapExecutor bwrap;
    private Path ws;

    @BeforeEach
    void setUp() throws IOException {
        bwrap = Fixtures.bubblewrap();
        ws = Fixtures.workspace(tmp);
    }

    @Test
    void runsAsUnprivilegedUserWhenRoot() throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            assertThat(bwrap.mode()).isEqualTo(BubblewrapExecutor.Mode.UNPRIVILEGED_USER);
        }
        RawRun run = bwrap.run(sh(ws, "id -u; echo hi > out.txt; cat out.txt", FAST));
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdoutTail()).contains("hi");
        assertThat(Files.readString(ws.resolve("out.txt"))).isEqualTo("hi\n");
    }

    /** The held-out data's mount (ADR 0020): readable at its target, named by its variable, not writable. */
    @Test
    void aReadOnlyMountIsReadableAtItsTargetAndNotWritable() throws Exception {
        Path data = Fixtures.searchable(Files.createDirectory(tmp.resolve("data")));
        Files.writeString(data.resolve("answers.txt"), "42\n");
        RawRun run = bwrap.run(new RunRequest(ws, List.of("sh", "-c", "cat \"$HELD/answers.txt\"; echo \"at $HELD\";"
                + " if touch \"$HELD/forged\" 2>/dev/null; then echo writable; fi"), Map.of(), FAST, List.of(), null,
                List.of(new ReadOnlyMount(data, "/heldout", "HELD"))));

        assertThat(run.exitCode()).as(run.logTail()).isZero();
        assertThat(run.stdoutTail()).contains("42").contains("at /heldout").doesNotContain("writable");
        assertThat(data.resolve("forged")).doesNotExist();
        RawRun without = bwrap.run(sh(ws, "test -e /heldout && echo visible || echo absent", FAST));
        assertThat(without.stdoutTail()).as("a run without the mount").contains("absent");
    }

    @Test
    void crashIsReportedWithExitCode() throws Exception {
        RawRun run = bwrap.run(sh(ws, "echo oops >&2; exit 3", FAST));
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.timedOut()).isFalse();
        assertThat(run.logTail()).contains("oops");
    }

    @Test
    void environmentIsMinimal() throws Exception {
        RawRun run = bwrap.run(new RunRequest(ws, List.of("env"), Map.of("FOO", "bar"), FAST));
        assertThat(run.stdoutTail().lines().map(l -> l.split("=", 2)[0]).sorted().toList())
                .containsExactly("FOO", "HOME", "LANG", "PATH", "PWD");
        assertThat(run.stdoutTail()).contains("HOME=" + ws, "FOO=bar");
    }

    @Test
    void wallTimeoutKillsTheWholeTree() throws Exception {
        String marker = "61." + (System.nanoTime() % 100000);
        long start = System.nanoTime();
        RawRun run = bwrap.run(sh(ws, "sleep " + marker + " & (sleep " + marker + " &) ; sleep " + marker,
                FAST.withWallTimeout(Duration.ofSeconds(1))));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(run.timedOut()).isTrue();
        Thread.sleep(200);
        assertThat(Fixtures.processesWith(marker)).isEmpty();
    }

    @Test
    void outputFloodIsCutOff() throws Exception {
        long start = System.nanoTime();
        RawRun run = bwrap.run(sh(ws, "yes", FAST.withMaxOutputBytes(100_000)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(run.outputLimitHit()).isTrue();
        assertThat(run.stdoutTail().length()).isLessThanOrEqualTo(100_000);
    }

    @Test
    void noNetwork() throws Exception {
        Fixtures.requireBash();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String connect = "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort() + " && echo connected";
            RawRun inside = bwrap.run(new RunRequest(ws, List.of("bash", "-c", connect), Map.of(), FAST));
            assertThat(inside.exitCode()).isNotZero();
            assertThat(inside.stdoutTail()).doesNotContain("connected");
            // The same command reaches the listener without the sandbox, so the failure above is isolation.
            RawRun outside = new ProcessExecutor().run(new RunRequest(ws, List.of("bash", "-c", connect), Map.of(), FAST));
            assertThat(outside.stdoutTail()).contains("connected");
        }
    }

    @Test
    void cannotWriteOutsideTheWorkspace() throws Exception {
        Path sibling = tmp.resolve("outside.txt");
        Path hostTmp = Path.of("/var/tmp", "seedloop-escape-" + UUID.randomUUID());
        RawRun run = bwrap.run(sh(ws, "touch " + sibling + "; touch " + hostTmp + "; touch /seedloop-escape-"
                + UUID.randomUUID() + "; echo done", FAST));
        assertThat(run.stdoutTail()).contains("done");
        assertThat(run.logTail()).contains("Read-only file system");
        assertThat(sibling).doesNotExist();
        assertThat(hostTmp).doesNotExist();
    }

    @Test
    void protectedFilesAreReadOnly() throws Exception {
        Files.createDirectories(ws.resolve("tests"));
        Files.writeString(ws.resolve("tests/test_x.py"), "assert True\n");
        RawRun run = bwrap.run(new RunRequest(ws, List.of("sh", "-c",
                "echo hacked > tests/test_x.py; rm -f tests/test_x.py; mv tests/test_x.py x.py; echo hi > tests/other"),
                Map.of(), FAST, List.of("tests/test_x.py")));
        assertThat(run.logTail()).contains("Read-only file system");
        assertThat(Files.readString(ws.resolve("tests/test_x.py"))).isEqualTo("assert True\n");
        assertThat(ws.resolve("tests/other")).exists();
    }

    @Test
    void processLimitIsEnforced() throws Exception {
        RawRun run = bwrap.run(sh(ws, "for i in $(seq 200); do sleep 5 & done; echo all-started",
                FAST.withMaxProcesses(20).withWallTimeout(UNHURRIED)));
        assertThat(run.stdoutTail()).doesNotContain("all-started");
        assertThat(run.exitCode()).isNotZero();
        // The pids group's refusal stops the run at once, which can cut the shell's "Cannot fork" mid-line ("sh: 0: ").
        assertThat(run.exceeded()).as(run.logTail()).isEqualTo(ExceededLimit.PROCESSES);
    }

    @Test
    void memoryLimitIsEnforced() throws Exception {
        RawRun run = bwrap.run(sh(ws, "awk 'BEGIN { s = \"x\"; while (1) s = s s }'", FAST.withMemoryMiB(64)));
        assertThat(run.timedOut()).isFalse();
        assertThat(run.exitCode()).isNotZero();
    }

    @Test
    void cpuLimitIsEnforcedAndUsageMeasured() throws Exception {
        RawRun run = bwrap.run(sh(ws, "while :; do :; done", FAST.withCpuSeconds(1).withWallTimeout(UNHURRIED)));
        assertThat(run.timedOut()).isFalse();
        assertThat(run.exitCode()).isGreaterThan(128);
        assertThat(run.cpuMillis()).isBetween(300L, 3000L);
        assertThat(run.maxRssKiB()).isPositive();
    }
}
