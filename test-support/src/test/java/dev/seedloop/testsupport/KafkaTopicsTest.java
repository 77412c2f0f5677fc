package dev.seedloop.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.Topics;

class KafkaTopicsTest {

    @Test
    void producedRecordsAreFoundAndShortfallsListWhatWasSeen() {
        KafkaTopics.createTopics("kt-a", "kt-a");
        KafkaTopics.produce("kt-a", "k1", "one".getBytes(StandardCharsets.UTF_8));
        KafkaTopics.produce("kt-a", "k2", "two".getBytes(StandardCharsets.UTF_8));

        List<ConsumerRecord<String, byte[]>> found = KafkaTopics.awaitRecords("kt-a", r -> r.key().equals("k2"), 1,
                Duration.ofSeconds(20));
        assertEquals("two", new String(found.get(0).value(), StandardCharsets.UTF_8));

        AssertionError error = assertThrows(AssertionError.class,
                () -> KafkaTopics.awaitRecords("kt-a", r -> false, 1, Duration.ofSeconds(2)));
        assertTrue(error.getMessage().contains("key=k1 value=one"), error.getMessage());
    }

    @Test
    void theSharedBrokerHoldsTheCatalogueTopicsWithTheirRetention() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafkaBootstrapServers()))) {
            ConfigResource queries = new ConfigResource(ConfigResource.Type.TOPIC, Topics.QUERIES);
            ConfigResource journal = new ConfigResource(ConfigResource.Type.TOPIC, Topics.JOURNAL);
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(queries, journal)).all().get();
            assertEquals("3600000", configs.get(queries).get("retention.ms").value());
            assertEquals("-1", configs.get(journal).get("retention.ms").value());
        }
    }

    @Test
    void testResourcesDescribeTheSharedServers() {
        Map<String, String> kafka = new KafkaTestResource().start();
        assertEquals(SharedInfrastructure.kafkaBootstrapServers(), kafka.get("kafka.bootstrap.servers"));

        Map<String, String> db = new PostgresTestResource().start();
        assertTrue(db.get("quarkus.datasource.reactive.url").startsWith("postgresql://127.0.0.1:"), db.toString());
        assertTrue(db.get("quarkus.datasource.jdbc.url").endsWith("/seedloop_test"), db.toString());
        assertEquals(dev.seedloop.infra.PostgresServer.APPLICATION.name(), db.get("quarkus.datasource.username"));
        assertEquals(dev.seedloop.infra.PostgresServer.OWNER.name(), db.get("quarkus.flyway.username"));
    }
}
