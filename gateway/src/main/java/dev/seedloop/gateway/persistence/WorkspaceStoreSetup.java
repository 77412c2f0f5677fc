package dev.seedloop.gateway.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.seedloop.artifacts.ArtifactSchema;
import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.PostgresArtifactStore;
import dev.seedloop.gateway.config.GatewayConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;

/**
 * The artifact store of uploaded workspaces (ADR 0018): schema {@code artifacts} of the learner's database, migrated
 * at start by Flyway as the owner role, with the scripts shipped in the artifacts jar ({@code db/artifacts}) and
 * their own history table ({@code artifacts.flyway_schema_history}), so they never meet the learner's migrations of
 * its own schema ({@code public}). Queries run as the application role, which may only select and insert (ADR 0016).
 */
@ApplicationScoped
public class WorkspaceStoreSetup {

    private static final Logger LOG = Logger.getLogger(WorkspaceStoreSetup.class);

    /** Fails the start when the schema cannot be migrated: a gateway that cannot store uploads is not ready. */
    void migrate(@Observes StartupEvent start, GatewayConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String applicationRole) {
        GatewayConfig.Workspaces.Migration owner = config.workspaces().migration();
        // The implementer migrates the same schema at its start; Flyway's lock makes that safe (ArtifactSchema).
        int applied = ArtifactSchema.migrate(jdbcUrl, owner.username(), owner.password(), applicationRole);
        LOG.infof("Artifact store schema 'artifacts' migrated as %s: %d migration(s) applied", owner.username(),
                applied);
    }

    @Produces
    @Singleton
    ArtifactStore artifactStore(AgroalDataSource dataSource) {
        return new PostgresArtifactStore(dataSource);
    }
}
