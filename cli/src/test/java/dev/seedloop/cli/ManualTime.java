package dev.seedloop.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.seedloop.cli.client.Sleeper;

/** A clock that only moves when something sleeps on it: polling and backoff tests run instantly. */
final class ManualTime extends Clock implements Sleeper {

    private volatile Instant now;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    ManualTime(Instant start) {
        this.now = start;
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        now = now.plus(duration);
    }

    void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
