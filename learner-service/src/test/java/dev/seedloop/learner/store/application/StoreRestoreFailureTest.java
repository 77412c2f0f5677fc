package dev.seedloop.learner.store.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.learner.projection.application.Maintenance;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A restore is one transaction: one that fails half-way (the broker gone between the journal and the source
 * topics) leaves nothing behind and frees the learner for the next attempt, which then restores everything.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class StoreRestoreFailureTest {

    @Inject
    StoreRestore restore;

    @Inject
    Maintenance maintenance;

    @Inject
    EventCodec codec;

    @Inject
    Pool pool;

    /** Hands the journal entries over in two chunks, then fails or reads no source record. */
    private record Archive(List<TopicArchive.JournalEntry> journal, boolean brokerGoneAfterJournal)
            implements TopicArchive {

        @Override
        public Read readJournal(String topic, int chunkSize, Consumer<List<JournalEntry>> chunks) {
            int half = journal.size() / 2;
            chunks.accept(journal.subList(0, half));
            chunks.accept(journal.subList(half, journal.size()));
            return new Read(journal.size(), 0);
        }

        @Override
        public Read readSources(int chunkSize, Consumer<List<SourceEvent>> chunks) {
            if (brokerGoneAfterJournal) {
                throw new IllegalStateException("broker gone");
            }
            return new Read(0, 0);
        }
    }

    private long stored(String studyId) {
        return pool.preparedQuery("select count(*) from event_store where study_id = $1").execute(Tuple.of(studyId))
                .await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aRestoreThatFailsHalfWayLeavesNothingBehindAndTheNextOneCompletes() {
        String study = SampleEvents.newStudyId();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(SampleEvents.studyCreated(study));
        events.addAll(SampleEvents.proposals(study, 3));
        List<TopicArchive.JournalEntry> journal = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            journal.add(new TopicArchive.JournalEntry(events.get(i), codec.encodeToString(events.get(i)), i + 1,
                    Instant.now()));
        }

        assertThatThrownBy(() -> restore.restore("journal", new Archive(journal, true)))
                .hasMessageContaining("broker gone");
        assertThat(stored(study)).as("the journal's chunks went in before the failure, and were rolled back")
                .isZero();

        StoreRestore.Report report = restore.restore("journal", new Archive(journal, false));
        assertThat(report.journalAppended()).isEqualTo(events.size());
        assertThat(stored(study)).isEqualTo(events.size());
    }

    @Test
    void aSecondMaintenanceJobIsRefusedWhileOneRuns() {
        maintenance.begin("a test's rebuild");
        try {
            assertThatThrownBy(() -> restore.restore("journal", new Archive(List.of(), false)))
                    .isInstanceOf(Maintenance.Busy.class).hasMessageContaining("a test's rebuild is already running");
        } finally {
            maintenance.end();
        }
    }
}
