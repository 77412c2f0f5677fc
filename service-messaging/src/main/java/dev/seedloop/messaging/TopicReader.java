package dev.seedloop.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;

/**
 * Reads whole topics from the beginning, outside any consumer group's committed position: how a service
 * rebuilds a local view (study specs, its own past decisions) at start instead of keeping state on disk.
 * Records that do not decode are skipped here; the service's own consumer dead-letters them.
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

    /** One poll; returns how many events were handed over. */
    int poll(Duration timeout, Consumer<EventEnvelope> sink) {
        int handed = 0;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            if (record.value() == null) {
                continue;
            }
            try {
                sink.accept(codec.decode(record.value()));
                handed++;
            } catch (RuntimeException e) {
                LOG.debugf("view skips %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
            }
        }
        return handed;
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
