package dev.seedloop.learner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.seedloop.events.Topics;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.SharedInfrastructure;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

/**
 * The gateway's side of the query protocol, by hand: raw records on {@code seedloop.queries} with SmallRye's
 * request-reply headers, and the reply read back by its correlation id.
 */
public final class QueryClient {

    /** Where replies go unless a test asks otherwise; created by the broker's defaults (3 partitions). */
    public static final String REPLY_TOPIC = "learner-test-replies";
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    public final QueryCodec codec = new QueryCodec();

    public QueryClient() {
        KafkaTopics.createTopics(REPLY_TOPIC, Topics.QUERIES, Topics.QUERY_REPLIES);
        // Positioned before anything is sent, so that no reply to this client can precede it.
        Replies.get();
    }

    public QueryReply ask(Query query) {
        return codec.decodeReply(awaitReply(REPLY_TOPIC, send(codec.encode(query), REPLY_TOPIC, null, null)).value());
    }

    public <T> T answer(Query query, Class<T> view) {
        QueryReply reply = ask(query);
        if (reply.outcome() != QueryReply.Outcome.OK) {
            throw new AssertionError("expected an ok reply to " + query + " but got " + reply);
        }
        return codec.body(reply, view);
    }

    /**
     * Sends a request and returns its correlation id. {@code replyTopic}/{@code replyPartition} null leave
     * the header out; {@code timestamp} null lets the producer stamp it.
     */
    public String send(byte[] value, String replyTopic, Integer replyPartition, Long timestamp) {
        String correlation = UUID.randomUUID().toString();
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER,
                correlation.getBytes(StandardCharsets.UTF_8));
        if (replyTopic != null) {
            headers.add(KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER, replyTopic.getBytes(StandardCharsets.UTF_8));
        }
        if (replyPartition != null) {
            headers.add(KafkaRequestReply.DEFAULT_REPLY_PARTITION_HEADER,
                    KafkaRequestReply.replyPartitionToBytes(replyPartition));
        }
        try {
            // One key: all test requests share a partition, so they are answered in the order sent.
            producer().send(new ProducerRecord<>(Topics.QUERIES, null, timestamp, "learner-tests", value, headers))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send a query", e.getCause());
        }
        return correlation;
    }

    public static ConsumerRecord<String, byte[]> awaitReply(String topic, String correlation) {
        if (REPLY_TOPIC.equals(topic)) {
            return Replies.get().await(correlation);
        }
        return KafkaTopics.awaitRecords(topic, r -> correlation.equals(correlationOf(r)), 1, TIMEOUT).getFirst();
    }

    private static KafkaProducer<String, byte[]> producer;

    /** One producer for the test JVM: a new one per query cost its start and a metadata round trip each time. */
    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /**
     * The replies on {@link #REPLY_TOPIC}, read once, as they come, by one consumer for the whole test JVM, and handed
     * out by correlation id. Reading the topic from its beginning for every query (with a new consumer each time)
     * made every query slower than the last, by the size of every reply before it (megabytes, in the size tests).
     */
    private static final class Replies {

        private static Replies instance;

        private final Map<String, ConsumerRecord<String, byte[]>> byCorrelation = new HashMap<>();

        static synchronized Replies get() {
            if (instance == null) {
                instance = new Replies();
            }
            return instance;
        }

        private Replies() {
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                    new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(REPLY_TOPIC, TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Resolved now: the positions are the ends as of this moment, before any query of this JVM is sent.
            partitions.forEach(consumer::position);
            Thread reader = new Thread(() -> {
                while (true) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    if (!records.isEmpty()) {
                        synchronized (this) {
                            records.forEach(r -> byCorrelation.put(correlationOf(r), r));
                            notifyAll();
                        }
                    }
                }
            }, "learner-test-replies");
            reader.setDaemon(true);
            reader.start();
        }

        synchronized ConsumerRecord<String, byte[]> await(String correlation) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!byCorrelation.containsKey(correlation)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no reply with correlation id " + correlation + " on " + REPLY_TOPIC
                            + " within " + TIMEOUT);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return byCorrelation.remove(correlation);
        }
    }

    public static String correlationOf(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
