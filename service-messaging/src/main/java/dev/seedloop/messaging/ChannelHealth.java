package dev.seedloop.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness check {@value #NAME}: DOWN while some channel's handler is failing on a record and being retried, naming
 * the channel, the record and the last reason; UP again once the record is processed or dead-lettered. A channel
 * waiting out a database or broker outage is alive (nothing is lost, it resumes by itself) but cannot do its work, so
 * it is not ready, and an operator sees why without reading logs.
 */
@Readiness
@Default // also injectable plainly, by the channels that report to it
@ApplicationScoped
public class ChannelHealth implements HealthCheck {

    public static final String NAME = "seedloop-channels";

    /** One record a channel is retrying. */
    private record Failing(String channel, String record, FailureKind kind, int attempts, Instant since, String reason) {

        String describe() {
            return record + ": attempt " + attempts + " failed (" + kind.name().toLowerCase() + ", failing since "
                    + since + "): " + reason;
        }
    }

    private final Map<String, Failing> failing = new ConcurrentHashMap<>();

    @Inject
    Clock clock;

    /** Records that {@code channel}'s handler failed on {@code record} (its topic-partition@offset) and is retried. */
    public void failed(String channel, String record, FailureKind kind, int attempts, Throwable failure) {
        failing.merge(channel + " " + record,
                new Failing(channel, record, kind, attempts, clock.instant(), reason(failure)),
                (before, now) -> new Failing(channel, record, kind, attempts, before.since(), now.reason()));
    }

    /** The record is done with: processed, or dead-lettered. */
    public void settled(String channel, String record) {
        failing.remove(channel + " " + record);
    }

    /** Whether a record of {@code channel} is being retried now. */
    public boolean isFailing(String channel) {
        return failing.values().stream().anyMatch(f -> f.channel().equals(channel));
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        Map<String, String> byChannel = failing.values().stream().collect(Collectors.groupingBy(Failing::channel,
                TreeMap::new, Collectors.mapping(Failing::describe, Collectors.joining("; "))));
        if (!byChannel.isEmpty()) {
            response.down();
            byChannel.forEach(response::withData);
        }
        return response.build();
    }

    static String reason(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getName() + (message == null ? "" : ": " + message);
    }
}
