package dev.seedloop.learner.store.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Topics;
import dev.seedloop.learner.domain.ImportRules;
import dev.seedloop.learner.store.application.TopicArchive;
import dev.seedloop.messaging.InboundEvents;
import io.smallrye.common.annotation.Identifier;

/**
 * Reads the topics with a plain consumer: partitions assigned, read from their beginning, nothing committed and
 * no group joined, so the live consumers' offsets stay as they are. Blocking: call it from a worker thread.
 *
 * <p>The event topics and the imports are the ones the live channels read ({@code events-in}, {@code
 * imports-in}); the event topics are read up to the offsets the {@code events-in} group committed, because the
 * group resumes there and must still decide about whatever follows.
 */
@ApplicationScoped
public class KafkaTopicArchive implements TopicArchive {

    private static final Duration POLL = Duration.ofMillis(500);
    /** A broker that returns nothing for this long while records are known to be there is not coming back. */
    private static final Duration STALL = Duration.ofMinutes(2);
    /**
     * Bytes held per partition while the others catch up with its timestamps; beyond, it is paused. With one
     * fetch on top (max.partition.fetch.bytes, 1 MiB), memory stays within ~2 MiB per partition read.
     */
    private static final long MAX_BUFFERED_BYTES = 1 << 20;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    EventCodec codec;

    @Inject
    InboundEvents inbound;

    @ConfigProperty(name = "mp.messaging.incoming.events-in.topics")
    List<String> eventTopics;

    @ConfigProperty(name = "mp.messaging.incoming.events-in.group.id")
    Optional<String> eventsGroup;

    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;

    @ConfigProperty(name = "mp.messaging.incoming.imports-in.topic")
    String importsTopic;

    @Override
    public Read readJournal(String topic, int chunkSize, Consumer<List<JournalEntry>> chunks) {
        try (Admin admin = Admin.create(clientConfig()); KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(admin, consumer, List.of(topic));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long[] skipped = {0};
            Chunks<JournalEntry> out = new Chunks<>(chunkSize, chunks);
            long records = merge(consumer, end, List.of(topic), record -> {
                JournalEntry entry = journalEntry(record);
                if (entry == null) {
                    skipped[0]++;
                } else {
                    out.add(entry);
                }
            });
            out.flush();
            return new Read(records, skipped[0]);
        }
    }

    @Override
    public Read readSources(int chunkSize, Consumer<List<SourceEvent>> chunks) {
        List<String> topics = new ArrayList<>(eventTopics);
        topics.add(importsTopic);
        try (Admin admin = Admin.create(clientConfig()); KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(admin, consumer, topics);
            Map<TopicPartition, Long> upTo = new HashMap<>(consumer.endOffsets(partitions));
            Map<TopicPartition, OffsetAndMetadata> committed = committed(admin,
                    eventsGroup.orElse(applicationName));
            for (TopicPartition partition : partitions) {
                if (!partition.topic().equals(importsTopic)) {
                    // No committed offset: the group has not consumed the partition and will start at its beginning.
                    OffsetAndMetadata offset = committed.get(partition);
                    upTo.merge(partition, offset == null ? 0 : offset.offset(), Math::min);
                }
            }
            long[] skipped = {0};
            Chunks<SourceEvent> out = new Chunks<>(chunkSize, chunks);
            long records = merge(consumer, upTo, topics, record -> {
                List<EventEnvelope> events = record.topic().equals(importsTopic) ? slice(record)
                        : Optional.ofNullable(inbound.decodeOrNull(record)).map(List::of).orElse(List.of());
                if (events.isEmpty()) {
                    skipped[0]++;
                }
                Instant producedAt = record.timestamp() < 0 ? null : Instant.ofEpochMilli(record.timestamp());
                events.forEach(event -> out.add(new SourceEvent(event,
                        producedAt != null ? producedAt : event.occurredAt())));
            });
            out.flush();
            return new Read(records, skipped[0]);
        }
    }

    /** The record as the journal wrote it, or null when it is not one (no sequence header, not an envelope). */
    private JournalEntry journalEntry(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(Topics.JOURNAL_SEQUENCE_HEADER);
        if (header == null || record.value() == null) {
            return null;
        }
        try {
            long sequence = Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
            String json = new String(record.value(), StandardCharsets.UTF_8);
            EventEnvelope event = codec.decode(json);
            Instant publishedAt = record.timestamp() < 0 ? event.occurredAt() : Instant.ofEpochMilli(record.timestamp());
            return sequence > 0 ? new JournalEntry(event, json, sequence, publishedAt) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * An import slice's events; none when a line does not decode or the slice carries anything but its study's own
     * history ({@link ImportRules}), as the live import would have stored none.
     */
    private List<EventEnvelope> slice(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return List.of();
        }
        try {
            List<EventEnvelope> events = new String(record.value(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).map(codec::decode).toList();
            return ImportRules.problem(record.key(), events) == null ? events : List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /**
     * Hands every record below {@code upTo} to {@code sink}, each partition in offset order, the partitions
     * merged by record timestamp (ties: topic in {@code topics} order, then partition). A partition runs ahead
     * by at most {@link #MAX_BUFFERED_BYTES}. Returns how many records it handed over.
     */
    private static long merge(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> upTo,
            List<String> topics, Consumer<ConsumerRecord<String, byte[]>> sink) {
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(upTo.keySet());
        Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> buffers = new LinkedHashMap<>();
        upTo.forEach((partition, bound) -> {
            if (bound > beginning.getOrDefault(partition, 0L)) {
                buffers.put(partition, new ArrayDeque<>());
            }
        });
        if (buffers.isEmpty()) {
            return 0;
        }
        consumer.assign(buffers.keySet());
        consumer.seekToBeginning(buffers.keySet());
        Set<TopicPartition> fetching = new HashSet<>(buffers.keySet());
        long handed = 0;
        while (true) {
            fill(consumer, upTo, buffers, fetching);
            TopicPartition next = null;
            ConsumerRecord<String, byte[]> first = null;
            for (var buffer : buffers.entrySet()) {
                ConsumerRecord<String, byte[]> head = buffer.getValue().peek();
                if (head != null && (first == null || before(head, first, topics))) {
                    next = buffer.getKey();
                    first = head;
                }
            }
            if (next == null) {
                return handed;
            }
            sink.accept(buffers.get(next).poll());
            handed++;
        }
    }

    /** Polls until every partition still being fetched has a record buffered (the merge needs all heads). */
    private static void fill(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> upTo,
            Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> buffers, Set<TopicPartition> fetching) {
        long lastProgress = System.nanoTime();
        while (true) {
            fetching.removeIf(partition -> buffers.get(partition).isEmpty()
                    && consumer.position(partition) >= upTo.get(partition));
            if (fetching.stream().noneMatch(partition -> buffers.get(partition).isEmpty())) {
                return;
            }
            List<TopicPartition> full = new ArrayList<>();
            List<TopicPartition> hungry = new ArrayList<>();
            buffers.forEach((partition, buffer) -> (fetching.contains(partition) && bytes(buffer) < MAX_BUFFERED_BYTES
                    ? hungry : full).add(partition));
            consumer.pause(full);
            consumer.resume(hungry);
            int taken = 0;
            for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() < upTo.get(partition)) {
                    buffers.get(partition).add(record);
                    taken++;
                }
            }
            if (taken > 0) {
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                throw new IllegalStateException("no records from Kafka for " + STALL + " while reading " + fetching
                        + " up to " + upTo + "; nothing was restored");
            }
        }
    }

    private static long bytes(ArrayDeque<ConsumerRecord<String, byte[]>> buffer) {
        long bytes = 0;
        for (ConsumerRecord<String, byte[]> record : buffer) {
            bytes += Math.max(0, record.serializedValueSize());
        }
        return bytes;
    }

    private static boolean before(ConsumerRecord<String, byte[]> a, ConsumerRecord<String, byte[]> b,
            List<String> topics) {
        if (a.timestamp() != b.timestamp()) {
            return a.timestamp() < b.timestamp();
        }
        int byTopic = Integer.compare(topics.indexOf(a.topic()), topics.indexOf(b.topic()));
        return byTopic != 0 ? byTopic < 0 : a.partition() < b.partition();
    }

    /** The partitions of those topics that exist; a missing topic has nothing to restore. */
    private static List<TopicPartition> partitions(Admin admin, KafkaConsumer<String, byte[]> consumer,
            Collection<String> topics) {
        Set<String> existing = get(admin.listTopics().names());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            if (existing.contains(topic)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        return partitions;
    }

    /** The group's committed offsets; none when the group never committed (or is unknown to the broker). */
    private static Map<TopicPartition, OffsetAndMetadata> committed(Admin admin, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            return offsets == null ? Map.of() : offsets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return Map.of();
            }
            throw new IllegalStateException("Kafka refused: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> config = clientConfig();
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Reading must not create a topic (a missing journal must stay missing).
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "learner-restore");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The service's Kafka settings (servers, security) without its group: the restore belongs to none. */
    private Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>(kafka);
        config.keySet().removeIf(key -> key.startsWith("group."));
        return config;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Collects items into chunks of a fixed size and hands each full one on. */
    private static final class Chunks<T> {
        private final int size;
        private final Consumer<List<T>> sink;
        private List<T> chunk = new ArrayList<>();

        Chunks(int size, Consumer<List<T>> sink) {
            this.size = size;
            this.sink = sink;
        }

        void add(T item) {
            chunk.add(item);
            if (chunk.size() >= size) {
                flush();
            }
        }

        void flush() {
            if (!chunk.isEmpty()) {
                sink.accept(chunk);
                chunk = new ArrayList<>();
            }
        }
    }
}
