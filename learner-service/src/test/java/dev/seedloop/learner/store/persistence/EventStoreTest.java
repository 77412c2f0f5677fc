package dev.seedloop.learner.store.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
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

    private static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }

}
