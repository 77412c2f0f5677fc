package dev.seedloop.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.TopicCatalogue;
import dev.seedloop.events.Topics;

/** The broker of the local stack and the tests holds the catalogue's topics, as the Kubernetes manifests declare them. */
class KafkaBrokerTopicsTest {

    @TempDir
    Path dataDir;

    /** One fresh broker for both (a broker start costs seconds): first what it holds, then what using it adds. */
    @Test
    void everyCatalogueTopicExistsWithItsRetentionBeforeAnyoneUsesItAndProducingCreatesNoOther() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0); Admin admin = admin(broker)) {
            everyCatalogueTopicExistsWithItsRetentionBeforeAnyoneUsesIt(admin);
            aTopicOutsideTheCatalogueIsNotCreatedByProducingToIt(broker, admin);
        }
    }

    private static void everyCatalogueTopicExistsWithItsRetentionBeforeAnyoneUsesIt(Admin admin) throws Exception {
        Map<String, Config> configs = describe(admin, TopicCatalogue.all().stream().map(TopicCatalogue.Topic::name)
                .toList());

        assertEquals("3600000", configs.get(Topics.QUERIES).get("retention.ms").value());
        assertEquals("-1", configs.get(Topics.JOURNAL).get("retention.ms").value());
        for (TopicCatalogue.Topic topic : TopicCatalogue.all()) {
            topic.config().forEach((key, value) -> {
                ConfigEntry entry = configs.get(topic.name()).get(key);
                assertEquals(value, entry.value(), topic.name() + " " + key);
                // Set on the topic, not inherited from a broker default that another broker would not share.
                assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, entry.source(), topic.name() + " " + key);
            });
        }
    }

    private static void aTopicOutsideTheCatalogueIsNotCreatedByProducingToIt(KafkaBroker broker, Admin admin)
            throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000), new StringSerializer(), new StringSerializer())) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("seedloop.not-in-the-catalogue", "k", "v")).get());
            assertTrue(refused.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                    || refused.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException,
                    refused.toString());

            Set<String> names = admin.listTopics().names().get();
            assertFalse(names.contains("seedloop.not-in-the-catalogue"), names.toString());
            assertEquals(TopicCatalogue.all().stream().map(TopicCatalogue.Topic::name).collect(Collectors.toSet()),
                    names);
        }
    }

    @Test
    void aDataDirectoryFromBeforeTheCatalogueGetsItsSettingsOnTheNextStart() throws Exception {
        int port;
        try (KafkaBroker broker = KafkaBroker.start(dataDir, 0); Admin admin = admin(broker)) {
            port = broker.port();
            // What a stack created before the catalogue has: the query topic inheriting "keep for ever".
            ConfigResource queries = new ConfigResource(ConfigResource.Type.TOPIC, Topics.QUERIES);
            admin.incrementalAlterConfigs(Map.of(queries, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE)))).all().get();
            // Config changes reach describeConfigs through the metadata log, a moment later.
            awaitRetention(admin, Topics.QUERIES, "-1");
        }
        try (KafkaBroker broker = KafkaBroker.start(dataDir, port); Admin admin = admin(broker)) {
            assertEquals("3600000",
                    describe(admin, List.of(Topics.QUERIES)).get(Topics.QUERIES).get("retention.ms").value());
        }
    }

    private static void awaitRetention(Admin admin, String topic, String expected) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        String actual = describe(admin, List.of(topic)).get(topic).get("retention.ms").value();
        while (!expected.equals(actual) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            actual = describe(admin, List.of(topic)).get(topic).get("retention.ms").value();
        }
        assertEquals(expected, actual, topic + " retention.ms");
    }

    private static Admin admin(KafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static Map<String, Config> describe(Admin admin, Collection<String> topics) throws Exception {
        List<ConfigResource> resources = topics.stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
        return admin.describeConfigs(resources).all().get().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    }
}
