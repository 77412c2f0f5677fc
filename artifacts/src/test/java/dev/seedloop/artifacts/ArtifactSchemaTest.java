package dev.seedloop.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.seedloop.infra.PostgresServer;
import dev.seedloop.testsupport.SharedInfrastructure;

/** The gateway and the implementer both migrate schema {@code artifacts} at start, possibly at the same moment. */
class ArtifactSchemaTest {

    @Test
    void servicesStartingTogetherOnAnEmptyDatabaseMigrateItOnceAndAllStart() throws Exception {
        PostgresServer postgres = SharedInfrastructure.postgres();
        String database = "artifacts_concurrent_" + UUID.randomUUID().toString().substring(0, 8);
        postgres.createDatabaseIfMissing(database);
        int services = 4;
        CyclicBarrier together = new CyclicBarrier(services);
        ExecutorService pool = Executors.newFixedThreadPool(services);
        List<Future<Integer>> applied = new ArrayList<>();
        try {
            for (int i = 0; i < services; i++) {
                applied.add(pool.submit(() -> {
                    together.await();
                    return ArtifactSchema.migrate(postgres.jdbcUrl(database), postgres.owner().name(),
                            postgres.owner().password(), postgres.application().name());
                }));
            }
            List<Integer> counts = new ArrayList<>();
            for (Future<Integer> f : applied) {
                counts.add(f.get());
            }
            // Every start succeeded; the scripts ran once, by whichever got the lock first.
            assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(counts.stream().max(Integer::compare)
                    .orElseThrow()).isPositive();
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(),
                postgres.password());
                ResultSet rows = c.createStatement().executeQuery(
                        "select version, count(*) from artifacts.flyway_schema_history where success"
                                + " group by version, description having count(*) > 1")) {
            assertThat(rows.next()).as("no script recorded twice").isFalse();
        }
        // The store works for the application role afterwards.
        var dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl(database));
        dataSource.setUser(postgres.application().name());
        dataSource.setPassword(postgres.application().password());
        PostgresArtifactStore store = new PostgresArtifactStore(dataSource);
        assertThat(store.hasBlob(store.putText("migrated once").hash())).isTrue();
    }
}
