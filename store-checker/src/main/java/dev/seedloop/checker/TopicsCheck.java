package dev.seedloop.checker;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.events.Topics;

/**
 * Nothing lost between the log and the record (ADR 0002): every event on the six topics the learner consumes is in
 * its store, under its study. Read with a plain consumer (partitions assigned, from the beginning to the end offsets
 * at the start, no group, nothing committed). A record that is not an event envelope (what the live path
 * dead-letters) is not expected in the store and is left out.
 */
public final class TopicsCheck {

    static final String NAME = "every-published-event-stored";
    static final List<String> EVENT_TOPICS = List.of(Topics.STUDIES, Topics.PROPOSALS, Topics.EXPERIMENTS,
            Topics.EVALUATIONS, Topics.STRATEGY, Topics.TEAMS);
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicsCheck() {
    }

    /** @param only the studies whose records are compared, or null for every study */
    public static CheckResult run(String bootstrapServers, StoreChecker store, java.util.Collection<String> only)
            throws SQLException {
        Set<String> stored = new HashSet<>();
        try (Connection db = store.connect(); Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("select study_id || ' ' || event_id from event_store")) {
            while (rows.next()) {
                stored.add(rows.getString(1));
            }
        }
        Map<String, String> missing = new TreeMap<>();
        int read = 0;
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : EVENT_TOPICS) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the event topics to their ends within 5 min");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    JsonNode event;
                    try {
                        event = JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
                    } catch (Exception notAnEvent) {
                        continue;
                    }
                    if (event == null || !event.hasNonNull("eventId") || !event.hasNonNull("studyId")) {
                        continue;
                    }
                    String key = event.get("studyId").asText() + " " + event.get("eventId").asText();
                    if ((only == null || only.contains(event.get("studyId").asText())) && !stored.contains(key)) {
                        missing.put(key, "study " + event.get("studyId").asText() + ": event "
                                + event.get("eventId").asText() + " (" + event.path("type").asText() + ", "
                                + event.path("occurredAt").asText() + ") on " + record.topic() + "-"
                                + record.partition() + "@" + record.offset() + " is not in the store");
                    }
                }
            }
        }
        return new CheckResult(NAME, "each of the " + read + " records on the six event topics is stored (study and "
                + "event id)", new ArrayList<>(missing.values()));
    }
}
