package dev.seedloop.learner.store.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Services;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * The append-only store against a real PostgreSQL: ordering, idempotence, streaming. Its immutability, under the
 * roles it runs and migrates as: {@link DatabaseRolesTest}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class EventStoreTest {

    @Inject
    EventStore store;

    @Inject
    EventCodec codec;

    @Inject
    Mutiny.SessionFactory sessions;

    @Test
    void appendsAssignPerStudySequencesAndDuplicatesAreNoOps() throws Throwable {
        String study = SampleEvents.newStudyId();
        List<EventEnvelope> events = SampleEvents.proposals(study, 5);

        AppendResult first = await(() -> store.append(events.subList(0, 3)));
        AppendResult second = await(() -> store.append(events));
        AppendResult replayed = await(() -> store.append(events));

        assertThat(first).isEqualTo(new AppendResult(3, 0));
        assertThat(second).isEqualTo(new AppendResult(2, 3));
        assertThat(replayed).isEqualTo(new AppendResult(0, 5));
        List<StoredEvent> stored = await(() -> store.readStudy(study, 0).collect().asList());
        assertThat(stored).extracting(StoredEvent::studySequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(stored).extracting(s -> s.event().eventId())
                .containsExactlyElementsOf(events.stream().map(EventEnvelope::eventId).toList());
        assertThat(stored).extracting(StoredEvent::json)
                .containsExactlyElementsOf(events.stream().map(codec::encodeToString).toList());
    }

    @Test
    void aDuplicateInsideOneBatchIsStoredOnce() throws Throwable {
        String study = SampleEvents.newStudyId();
        EventEnvelope event = SampleEvents.proposals(study, 1).getFirst();

        AppendResult result = await(() -> store.append(List.of(event, event)));

        assertThat(result).isEqualTo(new AppendResult(1, 1));
        assertThat(await(() -> store.readStudy(study, 0).collect().asList())).hasSize(1);
    }

    @Test
    void streamsLongerThanOnePageInOrderAndFromAnyPosition() throws Throwable {
        String study = SampleEvents.newStudyId();
        List<EventEnvelope> events = SampleEvents.proposals(study, 1_234);
        await(() -> store.append(events));

        List<StoredEvent> all = await(() -> store.readStudy(study, 0).collect().asList());
        List<StoredEvent> tail = await(() -> store.readStudy(study, 1_000).collect().asList());

        assertThat(all).hasSize(1_234);
        assertThat(all).extracting(StoredEvent::studySequence).isSorted().doesNotHaveDuplicates();
        assertThat(tail).extracting(StoredEvent::studySequence).first().isEqualTo(1_001L);
        assertThat(tail).hasSize(234);

        long from = all.get(99).globalPosition();
        List<StoredEvent> global = await(() -> store.readAll(from).select().first(50).collect().asList());
        assertThat(global).extracting(StoredEvent::globalPosition).isSorted().allMatch(p -> p > from);
        assertThat(global.getFirst().event().eventId()).isEqualTo(all.get(100).event().eventId());
    }

    /**
     * Nearly every batch carries the learner's own decisions back, so {@link EventStore#storedAgain} runs on nearly
     * every append: it must read the rows it finds, not every row of the store or of the batch's studies (it did,
     * before V6 indexed causation_id). Counted by PostgreSQL for this transaction: rows read by scans and index
     * fetches around the one call, on fresh statistics (as autovacuum keeps them), sequential scans discouraged so
     * that any usable index is taken.
     */
    @Test
    void whatABatchFindsStoredAgainIsReadByIndexNotByScanningTheStudy() throws Throwable {
        String study = SampleEvents.newStudyId();
        List<EventEnvelope> events = SampleEvents.proposals(study, 300);
        await(() -> store.append(events));
        analyzeStore();
        List<UUID> again = events.subList(0, 3).stream().map(EventEnvelope::eventId).toList();

        long[] readAndFound = await(() -> sessions.withTransaction(session -> session
                .createNativeQuery("set local enable_seqscan = off").executeUpdate()
                .chain(() -> rowsRead(session))
                .chain(before -> store.storedAgain(session, again, Set.of(study), Services.LEARNER)
                        .chain(found -> rowsRead(session).map(after -> new long[] {after - before, found.size()})))));

        assertThat(readAndFound[1]).as("events found stored again").isEqualTo(3);
        assertThat(readAndFound[0]).as("rows of event_store read to find them").isLessThan(30);
    }

    /** As the owner role: the learner's own may not analyze the table it does not own (ADR 0016). */
    private static void analyzeStore() throws SQLException {
        Config config = ConfigProvider.getConfig();
        try (Connection owner = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.flyway.username", String.class),
                config.getValue("quarkus.flyway.password", String.class)); Statement s = owner.createStatement()) {
            s.execute("analyze event_store");
        }
    }

    private static io.smallrye.mutiny.Uni<Long> rowsRead(Mutiny.Session session) {
        return session.createNativeQuery("select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0)"
                        + " from pg_stat_xact_user_tables where relname = 'event_store'", Long.class)
                .getSingleResultOrNull()
                .map(read -> read == null ? 0L : read);
    }

    private static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }

}
