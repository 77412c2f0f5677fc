package dev.seedloop.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void recordsSurviveARestartOnTheSameDirectoryAndNoProcessIsLeft() throws Exception {
        int port;
        long firstPid;
        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0)) {
            port = broker.port();
            firstPid = broker.pid();
            Loopback.assertLoopbackOnly("the broker's client listener", port);
            Loopback.assertLoopbackOnly("the broker's controller listener", controllerPort());
            createTopic(broker.bootstrapServers(), "roundtrip");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("roundtrip", 0, "k", "hello")).get();
            }
            assertEquals(List.of("hello"), readAll(broker.bootstrapServers()));
        }
        assertFalse(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false), "first broker still running");

        long secondPid;
        try (KafkaBroker broker = KafkaBroker.start(dataDir, port)) {
            secondPid = broker.pid();
            assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
            assertEquals(List.of("hello"), readAll(broker.bootstrapServers()));
        }
        assertFalse(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive).orElse(false), "second broker still running");
    }

    /** Topics outside the catalogue are created explicitly: producing to one does not create it. */
    private static void createTopic(String bootstrap, String name) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(name, 1, (short) 1))).all().get();
        }
    }

    /** The controller (KRaft quorum) port the broker keeps in its data directory. */
    private int controllerPort() throws Exception {
        java.util.Properties state = new java.util.Properties();
        try (var in = java.nio.file.Files.newInputStream(dataDir.resolve("seedloop-broker.properties"))) {
            state.load(in);
        }
        return Integer.parseInt(state.getProperty("controller.port"));
    }

    private static List<String> readAll(String bootstrap) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("roundtrip", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
