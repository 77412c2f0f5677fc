package dev.seedloop.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor supervises: a service killed with SIGKILL comes back, {@code status} reports it while it is down or
 * not ready (and exits non-zero), {@code up} notices, and {@code restart} restarts one service. Real processes: the
 * supervisor, a real broker and stand-in services.
 */
class SupervisionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path home;

    /**
     * One stack of two services through its first {@code up}, a SIGKILL, an {@code up} while degraded and a
     * {@code restart}, one after the other: each starts from the whole stack the one before left (a stack costs
     * seconds to start and stop).
     */
    @Test
    void upShowsItsProgressAKilledServiceComesBackUpWaitsForADegradedStackAndRestartRestartsOneService()
            throws Exception {
        try (TestStack stack = TestStack.create(home, List.of(TestStack.StandIn.plain("a"), TestStack.StandIn.plain("b")),
                Duration.ofMillis(500))) {
            upShowsOnlyThisRunsProgress(stack);
            aKilledServiceIsStartedAgainAndStatusSaysItIsDownUntilItIsReady(stack);
            upOnADegradedStackSaysSoAndWaitsUntilItIsWholeAgain(stack);
            restartStopsOneServiceCleanlyAndStartsItAgain(stack);
        }
    }

    private static void aKilledServiceIsStartedAgainAndStatusSaysItIsDownUntilItIsReady(TestStack stack)
            throws Exception {
        TestStack.Result healthy = stack.run("status");
        assertThat(healthy.exit()).as(healthy.out()).isZero();

        int starts = stack.starts("b").size();
        stack.hold("b");
        kill(stack.starts("b").getLast());

        TestStack.Result degraded = stack.run("status");
        assertThat(degraded.exit()).as(degraded.out()).isNotZero();
        assertThat(line(degraded.out(), "b")).as(degraded.out()).containsAnyOf("restarting", "not ready");
        assertThat(line(degraded.out(), "a")).as(degraded.out()).contains("running", "ready")
                .doesNotContain("not ready");

        TestStack.await("b started again", WAIT, () -> stack.starts("b").size() == starts + 1);
        stack.release("b");
        TestStack.await("status exits 0 again", WAIT, () -> exit(stack, "status") == 0);
        assertThat(line(stack.run("status").out(), "b")).contains("restarts 1");
    }

    private static void upOnADegradedStackSaysSoAndWaitsUntilItIsWholeAgain(TestStack stack) throws Exception {
        assertThat(stack.run("status").exit()).as("whole before").isZero();
        int starts = stack.starts("b").size();
        stack.hold("b");
        kill(stack.starts("b").getLast());
        TestStack.await("b started again", WAIT, () -> stack.starts("b").size() == starts + 1);

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        CompletableFuture<TestStack.Result> up = CompletableFuture.supplyAsync(() -> {
            try {
                return stack.run(sink, "up");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TestStack.await("up reports b as not ready", WAIT,
                () -> line(sink.toString(StandardCharsets.UTF_8), "b").contains("not ready"));
        assertThat(sink.toString(StandardCharsets.UTF_8)).doesNotContain("already up");
        stack.release("b");

        TestStack.Result result = up.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(result.exit()).as(result.out()).isZero();
        assertThat(stack.run("status").exit()).isZero();
    }

    private static void restartStopsOneServiceCleanlyAndStartsItAgain(TestStack stack) throws Exception {
        List<Long> before = stack.starts("b");
        long previous = before.getLast();
        // Killed before, never stopped: a "stopped" line can only come from this restart.
        assertThat(stack.journal("b")).noneMatch(l -> l.endsWith("stopped"));

        TestStack.Result restart = stack.run("restart", "b");

        assertThat(restart.exit()).as(restart.out()).isZero();
        assertThat(stack.starts("b")).hasSize(before.size() + 1);
        assertThat(ProcessHandle.of(previous).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(stack.journal("b")).as("stopped cleanly, not killed").anyMatch(l -> l.endsWith("stopped"));
        assertThat(stack.starts("a")).hasSize(1);
        assertThat(stack.run("status").exit()).isZero();
    }

    private static void upShowsOnlyThisRunsProgress(TestStack stack) throws Exception {
        Files.createDirectories(stack.layout().logs());
        Files.writeString(stack.layout().supervisorLog(),
                "2020-01-01T00:00:00Z supervisor: stack ready (a line of the previous run)\n");

        TestStack.Result up = stack.run("up");

        assertThat(up.exit()).as(up.out()).isZero();
        assertThat(up.out()).contains("a is ready", "b is ready").doesNotContain("previous run");
        assertThat(stack.layout().supervisorLog().resolveSibling("supervisor.log.1")).content()
                .contains("previous run");
    }

    private static void kill(long pid) throws InterruptedException {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        TestStack.await("pid " + pid + " gone", WAIT, () -> !process.isAlive());
    }

    private static int exit(TestStack stack, String command) {
        try {
            return stack.run(command).exit();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The line of a status or progress output about {@code process}, or "" when there is none. */
    private static String line(String output, String process) {
        return output.lines().filter(l -> l.trim().startsWith(process + " ")).findFirst().orElse("");
    }
}
