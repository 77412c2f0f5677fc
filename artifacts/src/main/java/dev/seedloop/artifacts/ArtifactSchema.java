package dev.seedloop.artifacts;

import java.util.Map;

import org.flywaydb.core.Flyway;

/**
 * Migrates the PostgreSQL store's schema {@code artifacts} (ADR 0016, ADR 0018): Flyway as the owner role, with the
 * scripts of this jar ({@code db/artifacts}) and their own history table ({@code artifacts.flyway_schema_history}), so
 * they never meet a service's migrations of its own schema; the application role may then select and insert.
 *
 * <p>Every service that uses the store calls this at start (the gateway and the implementer). They may do so at the
 * same time: Flyway serialises migrations of one history table on PostgreSQL with an advisory lock, and the loser finds
 * the scripts applied ({@code ArtifactSchemaTest} starts several at once on an empty database).
 */
public final class ArtifactSchema {

    /** The schema the store's tables live in. */
    public static final String SCHEMA = "artifacts";

    private ArtifactSchema() {
    }

    /**
     * @param applicationRole the role the services' queries run as, granted select and insert
     * @return how many scripts this call applied (0 when another service or an earlier start applied them)
     */
    public static int migrate(String jdbcUrl, String ownerUser, String ownerPassword, String applicationRole) {
        return Flyway.configure()
                .dataSource(jdbcUrl, ownerUser, ownerPassword)
                .locations("classpath:db/artifacts")
                .schemas(SCHEMA)
                .placeholders(Map.of("app_role", applicationRole))
                .load()
                .migrate()
                .migrationsExecuted;
    }
}
