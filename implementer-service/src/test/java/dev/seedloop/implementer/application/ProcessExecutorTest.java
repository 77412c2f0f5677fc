package dev.seedloop.implementer.application;

import static dev.seedloop.implementer.application.Fixtures.FAST;
import static dev.seedloop.implementer.application.Fixtures.UNHURRIED;
import static dev.seedloop.implementer.application.Fixtures.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.implementer.domain.RawRun;

class ProcessExecutorTest {

    @TempDir
    Path tmp;

    private final ProcessExecutor executor = new ProcessExecutor();

    @Test
    void reportsExitCodeAndMeasuresUsage() throws Exception {
        RawRun run = executor.run(sh(Fixtures.workspace(tmp),
                "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo out; echo err >&2; exit 3", FAST));
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.stdoutTail()).isEqualTo("out\n");
        assertThat(run.logTail()).contains("out", "err");
        assertThat(run.cpuMillis()).isPositive();
        assertThat(run.maxRssKiB()).isPositive();
    }

    @Test
    void wallTimeoutKillsTheProcessTree() throws Exception {
        String marker = "62." + (System.nanoTime() % 100000);
        RawRun run = executor.run(sh(Fixtures.workspace(tmp), "sleep " + marker + " & sleep " + marker + " & wait",
                FAST.withWallTimeout(Duration.ofSeconds(1))));
        assertThat(run.timedOut()).isTrue();
        assertThat(run.wallMillis()).isBetween(900L, 3000L);
        Thread.sleep(200);
        assertThat(Fixtures.processesWith(marker)).isEmpty();
    }

    @Test
    void outputFloodIsCutOff() throws Exception {
        RawRun run = executor.run(sh(Fixtures.workspace(tmp), "yes | head -c 50000000",
                FAST.withMaxOutputBytes(64_000)));
        assertThat(run.outputLimitHit()).isTrue();
        assertThat(run.wallMillis()).isLessThan(3000L);
    }

    @Test
    void cpuLimitApplies() throws Exception {
        RawRun run = executor.run(sh(Fixtures.workspace(tmp), "while :; do :; done",
                FAST.withCpuSeconds(1).withWallTimeout(UNHURRIED)));
        assertThat(run.timedOut()).isFalse();
        assertThat(run.exitCode()).isGreaterThan(128);
    }
}
