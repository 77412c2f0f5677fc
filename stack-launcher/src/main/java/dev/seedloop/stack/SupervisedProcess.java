package dev.seedloop.stack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.seedloop.stack.StackStatus.ProcessStatus;
import dev.seedloop.stack.StackStatus.State;

/**
 * One process of the stack and its life under the supervisor: started, watched, started again after a crash (after
 * {@link Backoff}'s wait) or on request, stopped. Everything that changes it goes through one thread of its own, in
 * the order it happened (a start, its exit, a restart request, the stop), so a crash seen during a stop or a stale
 * exit of a process already replaced cannot start anything.
 */
final class SupervisedProcess {

    /** One run of the process: what the supervisor watches, checks and stops. */
    interface Incarnation {
        ProcessHandle process();

        /** Completes when the process has exited, with how it ended (e.g. "exit code 137"). */
        CompletableFuture<String> exit();

        /** Its readiness check, as {@link StackStatus.ProcessStatus#health()} names it. */
        String health();

        /** Stops it cleanly, killing it only when it does not stop in time; returns once it is gone. */
        void stop();
    }

    @FunctionalInterface
    interface Starter {
        /** Starts the process (infrastructure: until it answers; a service: until its process runs). */
        Incarnation start() throws Exception;
    }

    /** What the supervisor hears from its processes. */
    interface Listener {
        void changed();

        void log(String message);
    }

    private sealed interface Signal {
    }

    private record Start() implements Signal {
    }

    private record Exited(int incarnation, String how) implements Signal {
    }

    private record Restart() implements Signal {
    }

    private record StartNow() implements Signal {
    }

    private record Stop() implements Signal {
    }

    private final String name;
    private final String role;
    private final String address;
    private final Starter starter;
    private final Backoff backoff;
    private final Listener listener;
    private final Clock clock;
    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> firstStart = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Thread thread;

    // Written by the process's own thread (readiness by the supervisor's watch), read by the status writer.
    private volatile Incarnation current;
    private volatile State state = State.STARTING;
    private volatile int incarnation;
    private volatile int restarts;
    private volatile int consecutiveCrashes;
    private volatile boolean ready;
    private volatile boolean supervising;
    private volatile Instant since;
    private volatile String lastExit;
    private volatile Instant nextStartAt;
    private volatile Instant stopRequestedAt;
    private volatile Instant stoppedAt;
    private volatile Instant exitedAt;

    SupervisedProcess(String name, String role, String address, Starter starter, Backoff backoff, Listener listener,
            Clock clock) {
        this.name = name;
        this.role = role;
        this.address = address;
        this.starter = starter;
        this.backoff = backoff;
        this.listener = listener;
        this.clock = clock;
        this.thread = new Thread(this::run, "supervise-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    String name() {
        return name;
    }

    State state() {
        return state;
    }

    /** Starts the process the first time; completes when it is started, exceptionally when it could not be. */
    CompletableFuture<Void> startFirst() {
        signals.add(new Start());
        return firstStart;
    }

    /** From now on an exit means a restart; before (while the stack starts), it fails the start. */
    void supervise() {
        supervising = true;
    }

    /** Stops the process now (cleanly) and starts it again at once, whatever wait a crash had set. */
    void restart() {
        signals.add(new Restart());
    }

    /**
     * Ends the wait after a crash: starts the process at once when it is waiting to be started again, and does nothing
     * otherwise. Unlike {@link #restart}, a request that arrives after the process came back by itself must not stop
     * it again ({@code up} asks this on what a status file a moment old says).
     */
    void startNow() {
        signals.add(new StartNow());
    }

    /** Stops the process for good and returns once it is gone. */
    void stop() {
        signals.add(new Stop());
        stopped.join();
    }

    /** Called by the supervisor's watch with the result of the readiness check. */
    boolean updateReadiness() {
        Incarnation running = current;
        boolean now = state == State.RUNNING && running != null && running.process().isAlive()
                && StackStatus.Probes.ready(running.health());
        boolean changed = now != ready;
        if (changed && state == State.RUNNING) {
            ready = now;
            listener.log(now ? name + " is ready" + (restarts > 0 ? " again" : "") : name + " is not ready");
        }
        return changed;
    }

    boolean ready() {
        return ready;
    }

    ProcessStatus status() {
        Incarnation running = current;
        return new ProcessStatus(name, role, address, running == null ? null : running.health(), state,
                running == null ? -1 : running.process().pid(), restarts, ready && state == State.RUNNING, since,
                lastExit, state == State.RESTARTING ? nextStartAt : null, stopRequestedAt, stoppedAt, exitedAt);
    }

    private void run() {
        Instant wakeAt = null;
        while (true) {
            Signal signal;
            try {
                signal = wakeAt == null ? signals.take()
                        : signals.poll(Math.max(0, Duration.between(clock.instant(), wakeAt).toMillis()),
                                TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (signal == null) {
                wakeAt = start();
                continue;
            }
            switch (signal) {
                case Start ignored -> wakeAt = start();
                case Exited exited -> {
                    // Only the exit of the process that runs now is a crash: one we stopped, or one whose successor
                    // failed to start (its restart is already scheduled), is not.
                    if (exited.incarnation() == incarnation && state == State.RUNNING) {
                        wakeAt = crashed(exited.how());
                    }
                }
                case Restart ignored -> {
                    if (state == State.RUNNING || state == State.RESTARTING) {
                        listener.log("restarting " + name + " on request");
                        stopCurrent();
                        consecutiveCrashes = 0;
                        wakeAt = start();
                    }
                }
                case StartNow ignored -> {
                    if (state == State.RESTARTING) {
                        wakeAt = start();
                    }
                }
                case Stop ignored -> {
                    stopForGood();
                    return;
                }
            }
        }
    }

    /** @return when to try again if the start failed, otherwise null */
    private Instant start() {
        boolean first = incarnation == 0 && !firstStart.isDone();
        state = State.STARTING;
        ready = false;
        listener.changed();
        Incarnation started;
        try {
            started = starter.start();
        } catch (Exception e) {
            if (!supervising) {
                state = State.FAILED;
                lastExit = "could not start: " + e.getMessage();
                listener.changed();
                firstStart.completeExceptionally(e);
                return null;
            }
            lastExit = "could not start: " + e.getMessage();
            return scheduleRestart("could not start (" + e.getMessage() + ")", Duration.ZERO);
        }
        int number = ++incarnation;
        if (!first) {
            restarts++;
        }
        current = started;
        since = clock.instant();
        exitedAt = null;
        listener.log((first ? "started " : "started again ") + name + " (pid " + started.process().pid() + ")");
        state = State.RUNNING;
        started.exit().thenAccept(how -> {
            if (number == incarnation) {
                exitedAt = clock.instant();
            }
            signals.add(new Exited(number, how));
        });
        listener.changed();
        firstStart.complete(null);
        return null;
    }

    /** @return when to start it again, or null when this exit ends nothing (a failed start of the stack) */
    private Instant crashed(String how) {
        lastExit = how + " at " + clock.instant();
        ready = false;
        if (!supervising) {
            state = State.FAILED;
            listener.log(name + " exited while the stack was starting (" + how + ")");
            listener.changed();
            return null;
        }
        // Whatever the dead process held (a lock, an orphaned child) goes before its successor starts.
        current.stop();
        Duration uptime = since == null ? Duration.ZERO : Duration.between(since, clock.instant());
        return scheduleRestart(how + " after " + uptime.toSeconds() + " s up", uptime);
    }

    private Instant scheduleRestart(String why, Duration uptime) {
        consecutiveCrashes = backoff.afterCrash(consecutiveCrashes, uptime);
        Duration wait = backoff.delay(consecutiveCrashes);
        nextStartAt = clock.instant().plus(wait);
        state = State.RESTARTING;
        listener.log(name + " " + why + "; starting it again in " + wait.toMillis() + " ms");
        listener.changed();
        return nextStartAt;
    }

    private void stopCurrent() {
        Incarnation running = current;
        if (running != null && running.process().isAlive()) {
            state = State.STOPPING;
            ready = false;
            listener.changed();
            running.stop();
        }
    }

    private void stopForGood() {
        try {
            stopRequestedAt = clock.instant();
            Incarnation running = current;
            if (running != null && running.process().isAlive()) {
                listener.log("stopping " + name + " (pid " + running.process().pid() + ")");
            }
            stopCurrent();
            stoppedAt = clock.instant();
            state = State.STOPPED;
            ready = false;
            listener.changed();
        } finally {
            firstStart.completeExceptionally(new IllegalStateException(name + " was stopped"));
            stopped.complete(null);
        }
    }
}
