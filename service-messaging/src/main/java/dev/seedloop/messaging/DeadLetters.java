package dev.seedloop.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Parks a record this service cannot use on the dead-letter topic, byte for byte, with the reason in
 * headers, so consumption goes on and nothing is lost: an operator can inspect and replay it later.
 * The header names follow SmallRye's own dead-letter queue so existing tooling reads them.
 */
@ApplicationScoped
public class DeadLetters {

    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    public static final String CONSUMER = "dead-letter-consumer";
    /** The incoming channel that gave up on the record (absent for records that could not be decoded). */
    public static final String CHANNEL = "dead-letter-channel";
    /** How many times the channel's handler tried the record before giving up. */
    public static final String ATTEMPTS = "dead-letter-attempts";

    /** Longest reason kept in a header: the record itself, not a stack of messages, is what must fit. */
    static final int MAX_REASON_CHARS = 4_000;

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    @Channel("dead-letters")
    MutinyEmitter<byte[]> emitter;

    public Uni<Void> park(ConsumerRecord<String, byte[]> record, Throwable cause, String consumer) {
        return park(record, cause, consumer, new RecordHeaders());
    }

    /** A record whose handler on {@code channel} failed {@code attempts} times: parked with the last failure. */
    public Uni<Void> park(ConsumerRecord<String, byte[]> record, Throwable cause, String consumer, String channel,
            int attempts) {
        RecordHeaders extra = new RecordHeaders();
        extra.add(CHANNEL, utf8(channel));
        extra.add(ATTEMPTS, utf8(Integer.toString(attempts)));
        return park(record, cause, consumer, extra);
    }

    private Uni<Void> park(ConsumerRecord<String, byte[]> record, Throwable cause, String consumer,
            RecordHeaders extra) {
        Objects.requireNonNull(record, "record");
        String reason = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
        if (reason.length() > MAX_REASON_CHARS) {
            reason = reason.substring(0, MAX_REASON_CHARS) + "...";
        }
        LOG.warnf("Dead-lettering %s-%d@%d for %s: %s", record.topic(), record.partition(), record.offset(),
                consumer, reason);
        RecordHeaders headers = new RecordHeaders();
        headers.add(REASON, utf8(reason));
        headers.add(CAUSE, utf8(cause.getClass().getName()));
        headers.add(TOPIC, utf8(record.topic()));
        headers.add(PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(OFFSET, utf8(Long.toString(record.offset())));
        headers.add(CONSUMER, utf8(consumer));
        extra.forEach(headers::add);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        return emitter.sendMessage(Message.of(value).addMetadata(metadata));
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
