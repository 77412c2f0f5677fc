package dev.seedloop.learner;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            // One key: all test requests share a partition, so they are answered in the order sent.
            producer.send(new ProducerRecord<>(Topics.QUERIES, null, timestamp, "learner-tests", value, headers))
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
        return KafkaTopics.awaitRecords(topic, r -> correlation.equals(correlationOf(r)), 1, TIMEOUT).getFirst();
    }

    public static String correlationOf(ConsumerRecord<String, byte[]> record) {
        Header header = record.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
