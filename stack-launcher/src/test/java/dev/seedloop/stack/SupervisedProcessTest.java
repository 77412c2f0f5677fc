package dev.seedloop.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.seedloop.stack.StackStatus.State;

/**
 * The life of one supervised process, with processes that are only futures: crashes are completed exit futures,
 * so every case runs in milliseconds and the order of events is the test's.
 */
class SupervisedProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<FakeRun> runs = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger failingStarts = new AtomicInteger();

    @Test
    void crashesInARowWaitLongerEachTimeUpToTheMaximum() throws Exception {
        SupervisedProcess process = supervised(new Backoff(Duration.ofMillis(20), Duration.ofMillis(80),
                Duration.ofMinutes(10)));

        for (int crash = 1; crash <= 4; crash++) {
            int expectedRuns = crash + 1;
            runs.getLast().crash(137);
            TestStack.await("run " + expectedRuns, WAIT, () -> runs.size() == expectedRuns
                    && process.state() == State.RUNNING);
        }

        assertThat(log.stream().filter(l -> l.contains("starting it again in")).map(l -> l.replaceAll(".* in ", "")))
                .containsExactly("20 ms", "40 ms", "80 ms", "80 ms");
        assertThat(process.status().restarts()).isEqualTo(4);
        assertThat(process.status().lastExit()).startsWith("exit code 137");
        process.stop();
    }

    @Test
    void aStartThatFailsAfterACrashIsTriedAgain() throws Exception {
        SupervisedProcess process = supervised(new Backoff(Duration.ofMillis(20), Duration.ofMillis(80),
                Duration.ofMinutes(10)));
        failingStarts.set(2);

        runs.getLast().crash(1);

        TestStack.await("started after two failed starts", WAIT, () -> runs.size() == 2
                && process.state() == State.RUNNING);
        assertThat(log).filteredOn(l -> l.contains("could not start")).hasSize(2);
        process.stop();
    }

    @Test
    void aRestartWhoseStartFailsIsTriedAgain() throws Exception {
        SupervisedProcess process = supervised(new Backoff(Duration.ofMillis(20), Duration.ofMillis(80),
                Duration.ofMinutes(10)));
        failingStarts.set(1);

        process.restart();

        // The exit of the process the restart stopped arrives after the failed start: it must not cancel the retry.
        TestStack.await("started after the failed start", WAIT, () -> runs.size() == 2
                && process.state() == State.RUNNING);
        process.stop();
    }

    @Test
    void aRestartRequestDoesNotWaitOutTheBackoff() throws Exception {
        SupervisedProcess process = supervised(new Backoff(Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO));
        runs.getLast().crash(137);
        TestStack.await("restarting", WAIT, () -> process.state() == State.RESTARTING);

        process.restart();

        TestStack.await("started again", WAIT, () -> runs.size() == 2 && process.state() == State.RUNNING);
        process.stop();
    }

    @Test
    void aStartNowRequestEndsTheBackoff() throws Exception {
        SupervisedProcess process = supervised(new Backoff(Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO));
        runs.getLast().crash(137);
        TestStack.await("restarting", WAIT, () -> process.state() == State.RESTARTING);

        process.startNow();

        TestStack.await("started again", WAIT, () -> runs.size() == 2 && process.state() == State.RUNNING);
        process.stop();
    }

    @Test
    void aStartNowRequestLeavesARunningProcessAlone() throws Exception {
        SupervisedProcess process = supervised(Backoff.DEFAULT);
        FakeRun first = runs.getLast();

        // What `up` asks on a status file a moment old, after the process came back by itself.
        process.startNow();
        process.restart();
        // Signals are taken in order, and stop returns once the process is gone: both requests were handled.
        process.stop();

        assertThat(first.stopped).isTrue();
        assertThat(runs).as("only the restart started a run").hasSize(2);
    }

    @Test
    void aRestartRequestStopsTheRunningProcessFirst() throws Exception {
        SupervisedProcess process = supervised(Backoff.DEFAULT);
        FakeRun first = runs.getLast();

        process.restart();

        TestStack.await("started again", WAIT, () -> runs.size() == 2 && process.state() == State.RUNNING);
        assertThat(first.stopped).isTrue();
        assertThat(process.status().restarts()).isEqualTo(1);
        process.stop();
    }

    @Test
    void anExitWhileTheStackStartsFailsTheStartInsteadOfRestarting() throws Exception {
        SupervisedProcess process = new SupervisedProcess("p", "service", "here", this::start, Backoff.DEFAULT,
                listener(), Clock.systemUTC());
        process.startFirst().join();

        runs.getLast().crash(1);

        TestStack.await("failed", WAIT, () -> process.state() == State.FAILED);
        process.stop();
        assertThat(runs).hasSize(1);
    }

    @Test
    void stoppingDuringTheBackoffEndsIt() throws Exception {
        SupervisedProcess process = supervised(new Backoff(Duration.ofHours(1), Duration.ofHours(1), Duration.ZERO));
        runs.getLast().crash(137);
        TestStack.await("restarting", WAIT, () -> process.state() == State.RESTARTING);

        process.stop();

        assertThat(process.state()).isEqualTo(State.STOPPED);
        assertThat(process.status().stoppedAt()).isNotNull();
        assertThat(runs).hasSize(1);
    }

    private SupervisedProcess supervised(Backoff backoff) {
        SupervisedProcess process = new SupervisedProcess("p", "service", "here", this::start, backoff, listener(),
                Clock.systemUTC());
        process.startFirst().join();
        process.supervise();
        return process;
    }

    private SupervisedProcess.Incarnation start() {
        if (failingStarts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("port in use");
        }
        FakeRun run = new FakeRun();
        runs.add(run);
        return run;
    }

    private SupervisedProcess.Listener listener() {
        return new SupervisedProcess.Listener() {
            @Override
            public void changed() {
            }

            @Override
            public void log(String message) {
                log.add(message);
            }
        };
    }

    /** A run whose exit is in the test's hands; the process it names is this JVM, which stays alive. */
    private static final class FakeRun implements SupervisedProcess.Incarnation {
        private final CompletableFuture<String> exit = new CompletableFuture<>();
        private volatile boolean stopped;

        void crash(int code) {
            exit.complete("exit code " + code);
        }

        @Override
        public ProcessHandle process() {
            return exit.isDone() ? DEAD : ProcessHandle.current();
        }

        @Override
        public CompletableFuture<String> exit() {
            return exit;
        }

        @Override
        public String health() {
            return null;
        }

        @Override
        public void stop() {
            stopped = true;
            exit.complete("stopped");
        }
    }

    /** A handle whose process is gone: a finished child of ours. */
    private static final ProcessHandle DEAD = deadProcess();

    private static ProcessHandle deadProcess() {
        try {
            Process process = new ProcessBuilder("true").start();
            process.waitFor();
            return process.toHandle();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
