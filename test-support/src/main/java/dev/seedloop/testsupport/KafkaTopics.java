package dev.seedloop.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test helpers that talk to the shared Kafka broker directly, with String keys and byte[] values,
 * independent of the application under test.
 */
public final class KafkaTopics {

    private static final int PREVIEW_CHARS = 200;

    private KafkaTopics() {
    }

    /** Sends one record and waits until the broker has it on all in-sync replicas. */
    public static void produce(String topic, String key, byte[] value) {
        produce(topic, key, value, Map.of());
    }

    /** {@link #produce(String, String, byte[])} with headers (UTF-8 values), e.g. a {@code traceparent}. */
    public static void produce(String topic, String key, byte[] value, Map<String, String> headers) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer())) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get();
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not produce to " + topic, e.getCause());
        }
    }

    /**
     * Reads {@code topic} from the beginning, on every partition, until {@code count} records
     * matching {@code match} have been seen, and returns the matching records.
     *
     * @throws AssertionError if fewer matched within {@code timeout}; it lists every record seen
     */
    public static List<ConsumerRecord<String, byte[]>> awaitRecords(String topic,
            Predicate<ConsumerRecord<String, byte[]>> match, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> matching = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = newReader()) {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, remaining(deadline));
                partitions = infos == null ? List.of()
                        : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                if (partitions.isEmpty()) {
                    sleep(100);
                }
            }
            if (!partitions.isEmpty()) {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (matching.size() < count && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(min(remaining(deadline), Duration.ofMillis(200)))) {
                        seen.add(record);
                        if (match.test(record)) {
                            matching.add(record);
                        }
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            // Reported below with whatever was seen.
        }
        if (matching.size() < count) {
            throw new AssertionError(describeShortfall(topic, count, matching.size(), timeout, seen));
        }
        return matching;
    }

    /**
     * Every record matching {@code match} that the topic holds right now (read up to its current end
     * offsets): for asserting that something did <em>not</em> happen, after giving it time to.
     */
    public static List<ConsumerRecord<String, byte[]>> readAll(String topic,
            Predicate<ConsumerRecord<String, byte[]>> match) {
        List<ConsumerRecord<String, byte[]>> matching = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = newReader()) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return matching;
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))
                            && match.test(record)) {
                        matching.add(record);
                    }
                }
            }
        }
        return matching;
    }

    /** A consumer of its own group that never commits and never creates a topic by reading it. */
    private static KafkaConsumer<String, byte[]> newReader() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "seedloop-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // Reading must not create the topic as a side effect (with broker defaults, not the app's).
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Creates the topics with the broker's default partitions and replication; existing ones are fine. */
    public static void createTopics(String... names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            List<NewTopic> topics = Arrays.stream(names)
                    .map(name -> new NewTopic(name, Optional.empty(), Optional.empty()))
                    .toList();
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while creating topic " + name, e);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Could not create topic " + name, e.getCause());
                    }
                }
            });
        }
    }

    private static String bootstrapServers() {
        return SharedInfrastructure.kafkaBootstrapServers();
    }

    private static String describeShortfall(String topic, int count, int matched, Duration timeout,
            List<ConsumerRecord<String, byte[]>> seen) {
        StringBuilder message = new StringBuilder()
                .append("Expected ").append(count).append(" matching record(s) on topic '").append(topic)
                .append("' within ").append(timeout).append(" but found ").append(matched)
                .append("; ").append(seen.size()).append(" record(s) seen");
        if (seen.isEmpty()) {
            message.append(" (the topic is empty or does not exist)");
        }
        for (ConsumerRecord<String, byte[]> record : seen) {
            message.append("\n  ").append(record.topic()).append('-').append(record.partition())
                    .append('@').append(record.offset())
                    .append(" key=").append(record.key())
                    .append(" value=").append(preview(record.value()));
        }
        return message.toString();
    }

    private static String preview(byte[] value) {
        if (value == null) {
            return "null";
        }
        String text = new String(value, StandardCharsets.UTF_8);
        return text.length() <= PREVIEW_CHARS ? text : text.substring(0, PREVIEW_CHARS) + "… (" + value.length + " bytes)";
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a topic", e);
        }
    }
}
