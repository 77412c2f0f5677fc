package dev.seedloop.proposer.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.seedloop.artifacts.ArtifactSchema;
import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.PostgresArtifactStore;
import dev.seedloop.proposer.config.ProposerConfig;
import io.agroal.api.AgroalDataSource;

/**
 * The artifact store (ADR 0018) the llm strategy reads parent trees and template files from and stores child trees
 * (and their blobs) in: schema {@code artifacts}, migrated as the owner role when the store is first needed, which is
 * at start (the proposal desk needs it), so a database that cannot be migrated fails the start rather than the first
 * llm request. Queries run as the application role (ADR 0016). As the implementer's and the gateway's setups do;
 * Flyway's lock makes several services starting together safe.
 */
@ApplicationScoped
public class ArtifactStoreSetup {

    private static final Logger LOG = Logger.getLogger(ArtifactStoreSetup.class);

    @Produces
    @Singleton
    ArtifactStore artifactStore(AgroalDataSource dataSource, ProposerConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String applicationRole) {
        ProposerConfig.Artifacts.Migration owner = config.artifacts().migration();
        int applied = ArtifactSchema.migrate(jdbcUrl, owner.username(), owner.password(), applicationRole);
        LOG.infof("Artifact store schema 'artifacts' migrated as %s: %d migration(s) applied", owner.username(),
                applied);
        return new PostgresArtifactStore(dataSource);
    }
}
