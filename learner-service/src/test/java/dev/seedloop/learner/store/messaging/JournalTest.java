package dev.seedloop.learner.store.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.events.Topics;
import dev.seedloop.learner.QueryClient;
import dev.seedloop.learner.StudyScript;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.query.application.StudyQueriesTest;
import dev.seedloop.learner.store.persistence.EventStore;
import dev.seedloop.learner.store.persistence.StoredEvent;
import dev.seedloop.messaging.EventMessages;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** The journal carries every stored study event, as stored, with its study sequence. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class JournalTest {

    @Inject
    EventCodec codec;

    @Inject
    EventStore store;

    @Inject
    EventRecorder recorder;

    @Test
    void everyStoredStudyEventIsJournaledAsStoredWithConsecutiveSequences() throws Exception {
        String team = "journal-" + UUID.randomUUID();
        StudyScript s = new StudyScript(team, Instant.now());
        StudyScript.Sent created = s.created(PromotionPolicy.AUTO, "alice");
        KafkaTopics.produce(created.topic(), s.studyId, codec.encode(created.event()));
        // The creation and the learner's first request (ADR 0021), stored together.
        await().atMost(QueryClient.TIMEOUT).until(() -> StudyQueriesTest.stored(store, s.studyId).size() == 2);
        for (StudyScript.Sent sent : List.of(s.proposed(0, "random", List.of()), s.started(0),
                s.completed(0, 0.5, "done\n"), s.evaluatedChampion(0, 0.5))) {
            KafkaTopics.produce(sent.topic(), s.studyId, codec.encode(sent.event()));
        }
        // The team's own stream is stored but is no study: it has no place in the journal.
        EventEnvelope quota = StudyScript.quota(team, 2, 10, "admin", Instant.now());
        KafkaTopics.produce(Topics.TEAMS, quota.studyId(), codec.encode(quota));

        // 5 sent + the learner's first request + its StrategyUpdated about the evaluation.
        List<ConsumerRecord<String, byte[]>> journal = KafkaTopics.awaitRecords(Topics.JOURNAL,
                r -> s.studyId.equals(r.key()), 7, QueryClient.TIMEOUT);
        List<StoredEvent> stored = StudyQueriesTest.stored(store, s.studyId);

        assertThat(journal).extracting(JournalTest::sequence).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 7).boxed().toList());
        assertThat(journal).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(stored.stream().map(StoredEvent::json).toList());
        assertThat(journal).extracting(r -> new String(r.headers().lastHeader(EventMessages.TYPE_HEADER).value(),
                StandardCharsets.UTF_8)).containsExactlyElementsOf(stored.stream().map(e -> e.event().type()).toList());
        assertThat(journal).extracting(r -> codec.decode(r.value()))
                .anySatisfy(e -> assertThat(e.payload()).isInstanceOf(StrategyUpdated.class));
        await().atMost(QueryClient.TIMEOUT).until(() -> !StudyQueriesTest.stored(store, quota.studyId()).isEmpty());
        assertThat(KafkaTopics.readAll(Topics.JOURNAL, r -> quota.studyId().equals(r.key())
                || TeamStreams.isTeamStream(r.key()))).isEmpty();
    }

    @Test
    void aRedeliveredBatchHandsBackItsStoredEventsAndDecisionsButNotTheLearnersOwnEchoes() throws Throwable {
        StudyScript s = new StudyScript("journal-" + UUID.randomUUID(), Instant.now());
        List<EventEnvelope> batch = List.of(s.created(PromotionPolicy.AUTO, "alice").event(),
                s.proposed(0, "random", List.of()).event(), s.evaluatedChampion(0, 0.5).event());

        EventRecorder.Recorded first = VertxContextSupport.subscribeAndAwait(() -> recorder.record(batch));
        EventRecorder.Recorded again = VertxContextSupport.subscribeAndAwait(() -> recorder.record(batch));
        EventEnvelope decision = first.decisions().getFirst();
        EventRecorder.Recorded echo = VertxContextSupport.subscribeAndAwait(() -> recorder.record(List.of(decision)));

        // The creation, the learner's first request, the proposal, the evaluation, the request it led to.
        assertThat(first.journal()).extracting(StoredEvent::studySequence).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(first.journal().getLast().event().producer()).isEqualTo(Services.LEARNER);
        assertThat(again.appended()).isZero();
        assertThat(again.journal()).isEqualTo(first.journal());
        assertThat(again.decisions()).containsExactlyElementsOf(first.decisions()).hasSize(2);
        assertThat(echo.journal()).isEmpty();
        assertThat(echo.decisions()).isEmpty();
    }

    private static long sequence(ConsumerRecord<String, byte[]> record) {
        return Long.parseLong(new String(record.headers().lastHeader(Journal.SEQUENCE_HEADER).value(),
                StandardCharsets.UTF_8));
    }
}
