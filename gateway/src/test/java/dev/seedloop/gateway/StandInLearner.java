package dev.seedloop.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.seedloop.events.Topics;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.SharedInfrastructure;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

/**
 * Answers the gateway's queries on the real broker for the gateway's slice tests: canned team usage, pings and
 * admissions (admit everything unless told otherwise), everything else through {@link #otherwise}. The real learner
 * answers them in the system tests; here only the gateway's side of the protocol is under test. The constructor
 * returns once the stand-in's consumer owns its partitions, so no request sent afterwards is missed.
 */
final class StandInLearner implements AutoCloseable {

    private final QueryCodec codec = new QueryCodec();
    private final Map<String, Views.TeamUsageView> usage = new ConcurrentHashMap<>();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread loop;
    /** Every query received, in arrival order. */
    final List<Query> received = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile boolean answerPings = true;
    private volatile Function<Query.AdmitStudy, Views.AdmissionView> admissions =
            admit -> new Views.AdmissionView(true, Instant.now().plusSeconds(60), null, null, null, null);
    private volatile Function<Query, QueryReply> fallback = query -> QueryCodec.notFound("no such study");

    StandInLearner() {
        loop = Thread.ofVirtual().name("stand-in-learner").start(this::serve);
        try {
            if (!assigned.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the stand-in learner got no partition of " + Topics.QUERIES);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void usage(String team, Integer maxConcurrent, Integer maxPerDay, int active, int today) {
        usage.put(team, new Views.TeamUsageView(team, maxConcurrent, maxPerDay, active, today, null, null));
    }

    void otherwise(Function<Query, QueryReply> answer) {
        fallback = answer;
    }

    /** false: pings go unanswered, as when the learner (or the round trip to it) is not there yet. */
    void answerPings(boolean answer) {
        answerPings = answer;
    }

    void admissions(Function<Query.AdmitStudy, Views.AdmissionView> decide) {
        admissions = decide;
    }

    <Q extends Query> List<Q> received(Class<Q> type) {
        return received.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private void serve() {
        String bootstrap = SharedInfrastructure.kafkaBootstrapServers();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "stand-in-learner-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                     new ByteArraySerializer())) {
            consumer.subscribe(List.of(Topics.QUERIES));
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (!consumer.assignment().isEmpty()) {
                    // The position is fixed once assigned ("latest"): whatever is sent from now on is ours.
                    consumer.assignment().forEach(consumer::position);
                    assigned.countDown();
                }
                for (ConsumerRecord<String, byte[]> request : records) {
                    Query query = codec.decodeQuery(request.value());
                    received.add(query);
                    QueryReply reply = answer(query);
                    if (reply == null) {
                        continue;
                    }
                    Header topic = request.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER);
                    Header partition = request.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_PARTITION_HEADER);
                    Integer target = partition == null ? null : KafkaRequestReply.replyPartitionFromBytes(partition.value());
                    ProducerRecord<String, byte[]> out = new ProducerRecord<>(
                            topic == null ? Topics.QUERY_REPLIES : new String(topic.value(), StandardCharsets.UTF_8),
                            target == null || target < 0 ? null : target, request.key(), codec.encode(reply));
                    out.headers().add(request.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER));
                    producer.send(out);
                }
            }
        }
    }

    /** null: no answer at all. */
    private QueryReply answer(Query query) {
        return switch (query) {
            case Query.GetTeamUsage get -> codec.ok(usage.getOrDefault(get.team(),
                    new Views.TeamUsageView(get.team(), null, null, 0, 0, null, null)));
            case Query.Ping ping -> answerPings ? codec.ok(new Views.PongView(Instant.now())) : null;
            case Query.AdmitStudy admit -> codec.ok(admissions.apply(admit));
            default -> fallback.apply(query);
        };
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        loop.join(Duration.ofSeconds(5));
    }
}
