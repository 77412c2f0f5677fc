package dev.seedloop.cli.client;

import java.time.Duration;

/** Waiting between polls and reconnects; tests pass one that only advances a manual clock. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
