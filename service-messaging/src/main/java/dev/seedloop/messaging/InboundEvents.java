package dev.seedloop.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventDecodingException;
import dev.seedloop.events.EventEnvelope;
import io.smallrye.mutiny.Uni;

/**
 * The one way a service takes events off a topic: decode, hand them to the service, and dead-letter
 * what cannot be decoded instead of stopping the consumer. The returned Uni completes only after the
 * handler's work (and any publishing it awaits) is done, so the offset is committed after processing.
 */
@ApplicationScoped
public class InboundEvents {

    @Inject
    EventCodec codec;

    @Inject
    DeadLetters deadLetters;

    /** One record: decode it and run the handler, or park it on the dead-letter topic. */
    public Uni<Void> process(ConsumerRecord<String, byte[]> record, String consumer,
            Function<EventEnvelope, Uni<Void>> handler) {
        Decoded decoded = decode(record);
        if (decoded.failure() != null) {
            return deadLetters.park(record, decoded.failure(), consumer);
        }
        return handler.apply(decoded.event());
    }

    /**
     * A batch: the decodable events in record order; the rest are parked before the Uni completes,
     * so one bad record never holds up or drops its neighbours.
     */
    public Uni<List<EventEnvelope>> decodeAll(Iterable<ConsumerRecord<String, byte[]>> records, String consumer) {
        return decodeEach(records, consumer).map(received -> received.stream().map(Received::event).toList());
    }

    /** As {@link #decodeAll}, each event with the record it came in (to dead-letter that record alone later). */
    public Uni<List<Received>> decodeEach(Iterable<ConsumerRecord<String, byte[]>> records, String consumer) {
        List<Received> events = new ArrayList<>();
        List<Uni<Void>> parked = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            Decoded decoded = decode(record);
            if (decoded.failure() != null) {
                parked.add(deadLetters.park(record, decoded.failure(), consumer));
            } else {
                events.add(new Received(record, decoded.event()));
            }
        }
        if (parked.isEmpty()) {
            return Uni.createFrom().item(events);
        }
        return Uni.join().all(parked).andFailFast().replaceWith(events);
    }

    /** A decoded event and the record that carried it. */
    public record Received(ConsumerRecord<String, byte[]> record, EventEnvelope event) {
    }

    /**
     * The event a record carries, or null for one that {@link #decodeAll} would dead-letter: for readers that
     * go over records already handled once (a restore of the learner's store), where parking them again
     * would only repeat dead letters.
     */
    public EventEnvelope decodeOrNull(ConsumerRecord<String, byte[]> record) {
        Decoded decoded = decode(record);
        return decoded.failure() == null ? decoded.event() : null;
    }

    /** The record's event, or why it has none (to be dead-lettered by the caller). */
    public Decoded decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return new Decoded(null, new IllegalArgumentException("record has no value (tombstone)"));
        }
        EventEnvelope event;
        try {
            event = codec.decode(record.value());
        } catch (EventDecodingException | IllegalArgumentException e) {
            return new Decoded(null, e);
        }
        if (record.key() != null && !record.key().equals(event.studyId())) {
            return new Decoded(null, new IllegalArgumentException("record key '" + record.key()
                    + "' differs from the event's study id '" + event.studyId() + "'"));
        }
        return new Decoded(event, null);
    }

    /** Exactly one of {@code event} and {@code failure} is set. */
    public record Decoded(EventEnvelope event, Exception failure) {
    }
}
