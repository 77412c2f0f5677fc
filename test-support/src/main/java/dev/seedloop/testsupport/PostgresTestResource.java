package dev.seedloop.testsupport;

import java.util.Map;

import dev.seedloop.infra.PostgresServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test's datasource (reactive and JDBC) at database {@value #DATABASE} on the
 * JVM-wide PostgreSQL server of {@link SharedInfrastructure}, creating the database if needed.
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
                "quarkus.datasource.username", server.username(),
                "quarkus.datasource.password", server.password());
    }

    @Override
    public void stop() {
        // The shared server is stopped by SharedInfrastructure's shutdown hook.
    }
}
