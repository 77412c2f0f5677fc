package dev.seedloop.implementer.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.seedloop.artifacts.ArtifactSchema;
import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.PostgresArtifactStore;
import dev.seedloop.implementer.config.ImplementerConfig;
import io.agroal.api.AgroalDataSource;

/**
 * The artifact store (ADR 0018) the implementer reads parent trees and held-out data from and stores child trees in:
 * schema {@code artifacts}, migrated as the owner role when the store is first needed, which is at start (the
 * experiment service, started with the application, needs it), so no proposal runs against an unmigrated schema and
 * a database that cannot be migrated fails the start. Queries run as the application role (ADR 0016).
 */
@ApplicationScoped
public class ArtifactStoreSetup {

    private static final Logger LOG = Logger.getLogger(ArtifactStoreSetup.class);

    @Produces
    @Singleton
    ArtifactStore artifactStore(AgroalDataSource dataSource, ImplementerConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String applicationRole) {
        ImplementerConfig.Artifacts.Migration owner = config.artifacts().migration();
        int applied = ArtifactSchema.migrate(jdbcUrl, owner.username(), owner.password(), applicationRole);
        LOG.infof("Artifact store schema 'artifacts' migrated as %s: %d migration(s) applied", owner.username(),
                applied);
        return new PostgresArtifactStore(dataSource);
    }
}
