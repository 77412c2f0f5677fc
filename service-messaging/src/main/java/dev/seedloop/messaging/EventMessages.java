package dev.seedloop.messaging;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Turns an event into the Kafka record every Seedloop topic carries: the key is the study id, so all
 * events of one study land on one partition and keep their order; the value is the codec's JSON.
 * The type and version are repeated as headers so tools can filter without decoding.
 */
public final class EventMessages {

    public static final String TYPE_HEADER = "seedloop-type";
    public static final String VERSION_HEADER = "seedloop-version";

    private EventMessages() {
    }

    public static Message<byte[]> toMessage(EventCodec codec, EventEnvelope event) {
        return toMessage(event, codec.encode(event));
    }

    /** The record for an event already encoded (its value is {@code encoded}, which must be the event's encoding). */
    public static Message<byte[]> toMessage(EventEnvelope event, byte[] encoded) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(TYPE_HEADER, event.type().getBytes(StandardCharsets.UTF_8));
        headers.add(VERSION_HEADER, Integer.toString(event.version()).getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.studyId())
                .withHeaders(headers)
                .build();
        return Message.of(encoded).addMetadata(metadata);
    }
}
