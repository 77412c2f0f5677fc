package dev.seedloop.gateway.application;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.seedloop.gateway.config.GatewayConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Ready means reads can be answered: a {@code Query.Ping} made the whole round trip (the query topic, the learner,
 * the reply topic and this instance's reply consumer, whose partitions arrive some seconds after start) within
 * {@code seedloop.gateway.readiness.cache-for}. DOWN until the first pong, and whenever a ping goes unanswered. The
 * Kafka channels' own checks say only that the clients are connected, which is true long before a read succeeds.
 */
@Readiness
@ApplicationScoped
public class LearnerRoundTrip implements AsyncHealthCheck {

    static final String NAME = "learner-round-trip";

    /** One ping's outcome, reused for the cache period. */
    private record Outcome(boolean answered, Instant at, String detail) {
    }

    @Inject
    LearnerQueries queries;

    @Inject
    GatewayConfig config;

    @Inject
    Clock clock;

    private final AtomicReference<Outcome> last = new AtomicReference<>();

    @Override
    public Uni<HealthCheckResponse> call() {
        Outcome seen = last.get();
        if (seen != null && !clock.instant().isAfter(seen.at().plus(config.readiness().cacheFor()))) {
            return Uni.createFrom().item(response(seen));
        }
        return queries.ping(config.readiness().pingTimeout())
                .map(pong -> new Outcome(true, clock.instant(), "the learner answered at " + pong.answeredAt()))
                .onFailure().recoverWithItem(e -> new Outcome(false, clock.instant(), "no answer to a ping within "
                        + config.readiness().pingTimeout().toMillis() + " ms: " + e.getMessage()))
                .invoke(last::set)
                .map(LearnerRoundTrip::response);
    }

    private static HealthCheckResponse response(Outcome outcome) {
        return HealthCheckResponse.named(NAME).status(outcome.answered())
                .withData("checkedAt", outcome.at().toString())
                .withData("detail", outcome.detail())
                .build();
    }
}
