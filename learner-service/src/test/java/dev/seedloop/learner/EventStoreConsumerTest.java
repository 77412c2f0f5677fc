package dev.seedloop.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Topics;
import dev.seedloop.learner.store.persistence.EventStore;
import dev.seedloop.learner.store.persistence.StoredEvent;
import dev.seedloop.messaging.DeadLetters;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** The learner records what arrives on the real broker, and parks what it cannot read. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class EventStoreConsumerTest {

    @Inject
    EventStore store;

    @Inject
    EventCodec codec;

    @Test
    void storesEventsFromEveryTopicAndDeadLettersGarbageWithoutStopping() {
        String study = SampleEvents.newStudyId();
        EventEnvelope created = SampleEvents.studyCreated(study);
        List<EventEnvelope> proposals = SampleEvents.proposals(study, 3);

        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.PROPOSALS, study, "{not json".getBytes(StandardCharsets.UTF_8));
        for (EventEnvelope proposal : proposals) {
            KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposal));
        }
        // The same event delivered twice is stored once.
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(proposals.getFirst()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<StoredEvent> stored = VertxContextSupport.subscribeAndAwait(
                    () -> store.readStudy(study, 0).collect().asList());
            // Besides what was sent, the learner's own first request (ADR 0021), decided on the StudyCreated.
            assertThat(stored).filteredOn(s -> !"learner-service".equals(s.event().producer()))
                    .extracting(s -> s.event().eventId()).containsExactlyInAnyOrder(
                    created.eventId(), proposals.get(0).eventId(), proposals.get(1).eventId(),
                    proposals.get(2).eventId());
        });
        var parked = KafkaTopics.awaitRecords(Topics.DEAD_LETTERS, r -> study.equals(r.key()), 1,
                Duration.ofSeconds(30));
        assertThat(new String(parked.getFirst().value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(new String(parked.getFirst().headers().lastHeader(DeadLetters.REASON).value(),
                StandardCharsets.UTF_8)).containsIgnoringCase("json");
        assertThat(new String(parked.getFirst().headers().lastHeader(DeadLetters.TOPIC).value(),
                StandardCharsets.UTF_8)).isEqualTo(Topics.PROPOSALS);
    }
}
