package dev.seedloop.artifacts;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

import dev.seedloop.infra.PostgresServer;
import dev.seedloop.testsupport.SharedInfrastructure;

/**
 * The real PostgreSQL of the test JVM, migrated as a service will do it: Flyway as the owner role, the schema's own
 * history table, {@code app_role} the application role; the store then runs as the application role.
 */
final class TestDatabase {

    static final String NAME = "artifacts_test";

    private static DataSource application;

    private TestDatabase() {
    }

    static synchronized DataSource application() {
        if (application == null) {
            PostgresServer postgres = SharedInfrastructure.postgres();
            postgres.createDatabaseIfMissing(NAME);
            ArtifactSchema.migrate(postgres.jdbcUrl(NAME), postgres.owner().name(), postgres.owner().password(),
                    postgres.application().name());
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(postgres.jdbcUrl(NAME));
            dataSource.setUser(postgres.application().name());
            dataSource.setPassword(postgres.application().password());
            application = dataSource;
        }
        return application;
    }

    /** A connection as the server's superuser, for checks and for cutting the application's connections. */
    static Connection superuser() throws SQLException {
        application();
        PostgresServer postgres = SharedInfrastructure.postgres();
        return DriverManager.getConnection(postgres.jdbcUrl(NAME), postgres.username(), postgres.password());
    }
}
