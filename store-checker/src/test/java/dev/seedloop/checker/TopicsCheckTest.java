package dev.seedloop.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventTypes;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.SharedInfrastructure;

/** An event published on an event topic and missing from the store is named; stored ones and non-events are not. */
class TopicsCheckTest {

    @Test
    void anEventOnATopicThatTheStoreLacksFails() throws Exception {
        try (PlantedStore store = new PlantedStore();
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            String study = store.study(3);
            UUID stored = store.append(study, EventTypes.PROPOSAL_CREATED, "{}");
            publish(producer, Topics.PROPOSALS, study, stored, EventTypes.PROPOSAL_CREATED);
            producer.send(new ProducerRecord<>(Topics.PROPOSALS, study.getBytes(StandardCharsets.UTF_8),
                    "not an event: dead-lettered by the learner".getBytes(StandardCharsets.UTF_8))).get();
            assertThat(TopicsCheck.run(SharedInfrastructure.kafkaBootstrapServers(), store.checker(), List.of(study))
                    .passed()).isTrue();

            UUID lost = UUID.randomUUID();
            publish(producer, Topics.EXPERIMENTS, study, lost, EventTypes.EXPERIMENT_STARTED);
            CheckResult result = TopicsCheck.run(SharedInfrastructure.kafkaBootstrapServers(), store.checker(),
                    List.of(study));

            assertThat(result.passed()).isFalse();
            assertThat(result.offenders()).singleElement().asString().startsWith("study " + study + ": event " + lost
                    + " (" + EventTypes.EXPERIMENT_STARTED + ", ").contains("on " + Topics.EXPERIMENTS + "-")
                    .endsWith("is not in the store");
        }
    }

    private static void publish(KafkaProducer<byte[], byte[]> producer, String topic, String study, UUID event,
            String type) throws Exception {
        String envelope = "{\"eventId\":\"%s\",\"type\":\"%s\",\"version\":1,\"studyId\":\"%s\",\"occurredAt\":\"%s\"}"
                .formatted(event, type, study, java.time.Instant.now());
        producer.send(new ProducerRecord<>(topic, study.getBytes(StandardCharsets.UTF_8),
                envelope.getBytes(StandardCharsets.UTF_8))).get();
    }
}
