package dev.seedloop.learner.query.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import dev.seedloop.events.Topics;
import dev.seedloop.learner.application.ByteCounter;
import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.query.application.QueryService;
import dev.seedloop.learner.query.domain.ReplySize;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.reply.KafkaRequestReply;

/**
 * The server side of SmallRye's Kafka request-reply for the gateway's queries: every request that carries
 * a correlation id gets exactly one reply, with that id, on the topic (and partition) the request names.
 * A malformed query is answered {@code invalid}, a failed read {@code failed}, an answer too large for the reply
 * topic {@code failed} with its size (seedloop.learner.queries.max-reply-bytes); nothing stops the channel.
 * Requests older than {@code seedloop.learner.queries.max-age} are skipped: their sender stopped waiting.
 *
 * <p>This channel has its own consumer group, separate from the event path, so a slow query never delays
 * recording and a backlog of events never delays an answer.
 */
@ApplicationScoped
public class QueryResponder {

    private static final Logger LOG = Logger.getLogger(QueryResponder.class);

    @Inject
    QueryService queries;

    @Inject
    QueryCodec codec;

    @Inject
    LearnerConfig config;

    @Inject
    Clock clock;

    /** The reply producer's own limit on a record before compression. */
    @ConfigProperty(name = "mp.messaging.outgoing.query-replies.max.request.size", defaultValue = "1048576")
    long maxRequestBytes;

    @Inject
    @Channel("query-replies")
    MutinyEmitter<byte[]> replies;

    @Incoming("queries-in")
    public Uni<Void> answer(ConsumerRecord<String, byte[]> request) {
        Header correlation = request.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER);
        if (correlation == null) {
            LOG.warnf("query at %s-%d@%d has no %s header: nobody could match a reply, ignored", request.topic(),
                    request.partition(), request.offset(), KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER);
            return Uni.createFrom().voidItem();
        }
        // A record without a timestamp (negative) cannot be judged stale.
        Duration age = request.timestamp() < 0 ? Duration.ZERO
                : Duration.between(Instant.ofEpochMilli(request.timestamp()), clock.instant());
        if (age.compareTo(config.queries().maxAge()) > 0) {
            LOG.debugf("query at %s-%d@%d is %s old, skipped", request.topic(), request.partition(), request.offset(),
                    age);
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> reply(request.value()))
                .onFailure().recoverWithItem(failure -> {
                    LOG.errorf(failure, "query at %s-%d@%d failed", request.topic(), request.partition(),
                            request.offset());
                    return new Answered(null, QueryCodec.failed("the learner could not answer this query; see its log"));
                })
                .map(answered -> encodeWithinBudget(request, answered))
                .chain(bytes -> send(request, correlation, bytes))
                .onFailure().recoverWithUni(failure -> {
                    if (refusedAsTooLarge(failure)) {
                        // The broker's limit is lower than the budget assumed: say so rather than leave the asker waiting.
                        LOG.errorf(failure, "Kafka refused the reply to the query at %s-%d@%d as too large",
                                request.topic(), request.partition(), request.offset());
                        return send(request, correlation, codec.encode(QueryCodec.failed(
                                "the answer was too large for the reply topic: " + failure.getMessage())));
                    }
                    return Uni.createFrom().failure(failure);
                })
                .onFailure().recoverWithUni(failure -> {
                    // The requester times out; stopping the channel would fail every later query too.
                    LOG.errorf(failure, "could not send the reply to the query at %s-%d@%d", request.topic(),
                            request.partition(), request.offset());
                    return Uni.createFrom().voidItem();
                });
    }

    /** A reply and the query it answers (null when the request was not a query). */
    private record Answered(Query query, QueryReply reply) {
    }

    private Uni<Answered> reply(byte[] value) {
        Query query;
        try {
            query = codec.decodeQuery(value == null ? new byte[0] : value);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(new Answered(null, QueryCodec.invalid(e.getMessage())));
        }
        return queries.answer(query).map(reply -> new Answered(query, reply));
    }

    /**
     * The reply as sent, or a {@code failed} reply naming its size when it would not fit the reply topic even
     * compressed (the reply producer gzips: a large state compresses several times over).
     */
    private byte[] encodeWithinBudget(ConsumerRecord<String, byte[]> request, Answered answered) {
        byte[] encoded = codec.encode(answered.reply());
        int budget = config.queries().maxReplyBytes();
        if (encoded.length <= budget) {
            return encoded;
        }
        long compressed = gzippedSize(encoded);
        if (ReplySize.fits(encoded.length, compressed, budget, maxRequestBytes)) {
            return encoded;
        }
        LOG.warnf("the answer to the query at %s-%d@%d is %d bytes (%d compressed), over the budget of %d: answered"
                + " failed", request.topic(), request.partition(), request.offset(), encoded.length, compressed, budget);
        return codec.encode(QueryCodec.failed(ReplySize.tooLarge(answered.query(), encoded.length, compressed,
                budget)));
    }

    /** The size of {@code bytes} once gzipped, as the reply producer compresses them: what the budget is held to. */
    public static long gzippedSize(byte[] bytes) {
        ByteCounter counted = new ByteCounter();
        try (GZIPOutputStream gzip = new GZIPOutputStream(counted)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counted.bytes();
    }

    private static boolean refusedAsTooLarge(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private Uni<Void> send(ConsumerRecord<String, byte[]> request, Header correlation, byte[] reply) {
        return replies.sendMessage(toMessage(request, correlation, reply));
    }


    private Message<byte[]> toMessage(ConsumerRecord<String, byte[]> request, Header correlation, byte[] reply) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaRequestReply.DEFAULT_REPLY_CORRELATION_ID_HEADER, correlation.value());
        Header topic = request.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_TOPIC_HEADER);
        Header partition = request.headers().lastHeader(KafkaRequestReply.DEFAULT_REPLY_PARTITION_HEADER);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(request.key())
                .withTopic(topic == null ? Topics.QUERY_REPLIES : new String(topic.value(), StandardCharsets.UTF_8))
                .withPartition(partition == null ? -1 : KafkaRequestReply.replyPartitionFromBytes(partition.value()))
                .withHeaders(headers)
                .build();
        return Message.of(reply).addMetadata(metadata);
    }
}
