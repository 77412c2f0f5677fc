package dev.seedloop.infra;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a server when its JVM exits without having closed it (a test JVM, a crash of the code that started it), so no
 * broker or database outlives the JVM that owns it.
 *
 * <p>JVM shutdown hooks run concurrently. An owner that stops its processes in order at exit (the local stack's
 * supervisor: services first, then Keycloak, Kafka and PostgreSQL) calls {@link #deferTo(Duration)}: the net then waits
 * for the owner's {@code close()} instead of racing it, and steps in only if the owner has not closed the server within
 * that time.
 */
final class ExitSafetyNet {

    private final CountDownLatch closed = new CountDownLatch(1);
    private final Runnable stop;
    private final Thread hook;
    private volatile Duration ownersTime = Duration.ZERO;

    ExitSafetyNet(String name, Runnable stop) {
        this.stop = stop;
        this.hook = new Thread(this::onExit, name + "-exit-safety-net");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** At exit, give the owner {@code ownersTime} to close the server before stopping it here. */
    void deferTo(Duration ownersTime) {
        this.ownersTime = ownersTime;
    }

    /** The owner closed the server: nothing is left to do at exit. */
    void closed() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyExiting) {
            // The hook is running (the owner closed from its own hook) and returns as soon as it sees the latch.
        }
    }

    /** Package-private so a test can run the exit path without exiting its JVM. */
    void onExit() {
        try {
            if (closed.await(ownersTime.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop.run();
    }
}
