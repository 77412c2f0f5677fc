package dev.seedloop.benchmarks.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.flywaydb.core.Flyway;

import dev.seedloop.infra.PostgresServer;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * An embedded PostgreSQL holding one database migrated with the learner's own migrations, as the learner migrates it
 * at start: what every learner benchmark measures against. Closing it stops the server.
 */
public final class LearnerDatabase implements AutoCloseable {

    private final PostgresServer postgres;
    private final String database;

    private LearnerDatabase(PostgresServer postgres, String database) {
        this.postgres = postgres;
        this.database = database;
    }

    /**
     * Starts PostgreSQL with its data under {@code dir}, creates {@code database} (dropped first unless
     * {@code keep}) and migrates it.
     */
    public static LearnerDatabase start(Path dir, String database, boolean keep) throws SQLException {
        PostgresServer postgres = PostgresServer.start(dir, 0);
        try {
            if (!keep) {
                try (Connection admin = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.username(),
                        postgres.password()); Statement s = admin.createStatement()) {
                    s.execute("drop database if exists " + database);
                }
            }
            postgres.createDatabaseIfMissing(database);
            // As the learner migrates: as the owner role, granting the application role its part (ADR 0016).
            Flyway.configure().dataSource(postgres.jdbcUrl(database), postgres.owner().name(),
                            postgres.owner().password())
                    .placeholders(Map.of("app_role", postgres.application().name()))
                    .locations("classpath:db/migration").load().migrate();
            return new LearnerDatabase(postgres, database);
        } catch (RuntimeException | SQLException e) {
            postgres.close();
            throw e;
        }
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public String database() {
        return database;
    }

    public String jdbcUrl() {
        return postgres.jdbcUrl(database);
    }

    /** A JDBC connection as the role the benchmarks read and write with. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), postgres.username(), postgres.password());
    }

    /** A reactive pool of {@code maxSize} connections on {@code vertx}, as the server's superuser. */
    public io.vertx.mutiny.sqlclient.Pool pool(Vertx vertx, int maxSize) {
        return pool(vertx, maxSize, postgres.username(), postgres.password());
    }

    /** A reactive pool as the role the learner runs as (ADR 0016): what it may not do fails here too. */
    public io.vertx.mutiny.sqlclient.Pool applicationPool(Vertx vertx, int maxSize) {
        return pool(vertx, maxSize, postgres.application().name(), postgres.application().password());
    }

    private io.vertx.mutiny.sqlclient.Pool pool(Vertx vertx, int maxSize, String user, String password) {
        return io.vertx.mutiny.sqlclient.Pool.newInstance(PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(maxSize))
                .connectingTo(new PgConnectOptions().setHost(postgres.host()).setPort(postgres.port())
                        .setDatabase(database).setUser(user).setPassword(password))
                .using(vertx).build());
    }

    @Override
    public void close() {
        postgres.close();
    }
}
