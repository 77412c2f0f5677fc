package dev.seedloop.learner.projection.application;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * At most one rebuild or restore at a time in this learner. The append lock would serialize them anyway; this
 * tells an operator who starts a second one that the first is still running instead of having the request
 * wait behind it for minutes.
 */
@ApplicationScoped
public class Maintenance {

    /** Another rebuild or restore is running. */
    public static final class Busy extends RuntimeException {
        Busy(String message) {
            super(message);
        }
    }

    private final AtomicReference<String> running = new AtomicReference<>();

    public void begin(String what) {
        if (!running.compareAndSet(null, what)) {
            throw new Busy(running.get() + " is already running; try again when it has finished");
        }
    }

    public void end() {
        running.set(null);
    }
}
