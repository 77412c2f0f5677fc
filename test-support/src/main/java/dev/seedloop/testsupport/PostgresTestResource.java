package dev.seedloop.testsupport;

import java.util.Map;

import dev.seedloop.infra.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test's datasource (reactive and JDBC) at database {@value #DATABASE} on the
 * JVM-wide PostgreSQL server of {@link SharedInfrastructure}, creating the database if needed. As in
 * production (ADR 0016), the service connects as the application role and Flyway migrates as the owner
 * role ({@link PostgresServer#createDatabaseIfMissing} creates both).
 *
 * <p>{@link #stop()} leaves the server running: it belongs to the JVM, not to one test class.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "seedloop_test";

    @Override
    public Map<String, String> start() {
        PostgresServer server = SharedInfrastructure.postgres();
        server.createDatabaseIfMissing(DATABASE);
        return Map.of(
                "quarkus.datasource.reactive.url", server.reactiveUrl(DATABASE),
                "quarkus.datasource.jdbc.url", server.jdbcUrl(DATABASE),
                "quarkus.datasource.username", server.application().name(),
                "quarkus.datasource.password", server.application().password(),
                "quarkus.flyway.username", server.owner().name(),
                "quarkus.flyway.password", server.owner().password());
    }

    @Override
    public void stop() {
        // The shared server is stopped by SharedInfrastructure's shutdown hook.
    }
}
