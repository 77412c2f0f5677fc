package dev.seedloop.stack;

import java.time.Duration;
import java.util.List;

/**
 * What the supervisor runs: the infrastructure's ports, the services in start order and how crashed processes come
 * back. {@link #local} is {@code ./seedloop up}'s; tests run the same supervisor on free ports with stand-in services.
 * Kafka always runs; PostgreSQL only when a service needs a database and Keycloak only when one validates tokens.
 *
 * @param serviceStopGrace how long a service may take to stop cleanly (close its Kafka consumers, leave its groups)
 *                         before it is killed
 */
public record StackPlan(StackLayout layout, int postgresPort, int kafkaPort, int keycloakPort,
        List<StackLayout.ServiceSpec> services, Backoff backoff, Duration serviceStopGrace) {

    public StackPlan {
        services = List.copyOf(services);
    }

    public static StackPlan local(StackLayout layout) {
        return new StackPlan(layout, StackLayout.POSTGRES_PORT, StackLayout.KAFKA_PORT, StackLayout.KEYCLOAK_PORT,
                layout.services(), Backoff.DEFAULT, Duration.ofSeconds(20));
    }

    public boolean runsPostgres() {
        return services.stream().anyMatch(StackLayout.ServiceSpec::needsDatabase);
    }

    public boolean runsKeycloak() {
        return services.stream().anyMatch(StackLayout.ServiceSpec::needsKeycloak);
    }
}
