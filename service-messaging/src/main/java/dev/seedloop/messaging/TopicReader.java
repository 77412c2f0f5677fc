package dev.seedloop.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Topics;

/**
 * Reads whole topics from the beginning, outside any consumer group's committed position: how a service
 * rebuilds a local view (study specs, its own past decisions) at start instead of keeping state on disk.
 * Records that do not decode are skipped here; the service's own consumer dead-letters them. Records of the imports
 * topic are slices of JSON lines ({@link ImportSlices}): each of their events is handed over.
 */
final class TopicReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicReader.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final EventCodec codec;

    TopicReader(String bootstrapServers, String purpose, Collection<String> topics, EventCodec codec) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // A fresh group each time: we want every record from offset 0 and never commit.
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "seedloop-view-" + purpose + "-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.codec = codec;
        consumer.subscribe(List.copyOf(topics));
    }

    /**
     * One poll; returns how many events were handed over, each with the topic it came from. A record of
     * {@link Topics#IMPORTS} hands over every event of its slice.
     */
    int poll(Duration timeout, BiConsumer<String, EventEnvelope> sink) {
        int handed = 0;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            if (record.value() == null) {
                continue;
            }
            if (Topics.IMPORTS.equals(record.topic())) {
                for (EventEnvelope event : ImportSlices.decode(codec, record.value(), e -> skip(record, e))) {
                    sink.accept(record.topic(), event);
                    handed++;
                }
                continue;
            }
            EventEnvelope event;
            try {
                event = codec.decode(record.value());
            } catch (RuntimeException e) {
                skip(record, e);
                continue;
            }
            sink.accept(record.topic(), event);
            handed++;
        }
        return handed;
    }

    private static void skip(ConsumerRecord<String, byte[]> record, RuntimeException e) {
        LOG.debugf("view skips %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
    }

    /** Where the topics end now, on every partition this reader is assigned; empty while it has none yet. */
    Map<TopicPartition, Long> endOffsets() {
        var assignment = consumer.assignment();
        return assignment.isEmpty() ? Map.of() : consumer.endOffsets(assignment);
    }

    /** True once this reader has read up to {@code ends} on every partition it is assigned. */
    boolean reached(Map<TopicPartition, Long> ends) {
        var assignment = consumer.assignment();
        for (var end : ends.entrySet()) {
            if (assignment.contains(end.getKey()) && consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** True once this reader has consumed everything that was in its partitions when asked. */
    boolean caughtUp() {
        var assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return false;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(assignment);
        for (TopicPartition partition : assignment) {
            if (consumer.position(partition) < end.get(partition)) {
                return false;
            }
        }
        return true;
    }

    /** Makes a blocked poll return (with a WakeupException) from another thread. */
    void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
