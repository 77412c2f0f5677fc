package dev.seedloop.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventLimits;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;

/**
 * Publishes events on a service's outgoing channel and completes when the broker has acknowledged all
 * of them (acks=all), so a consumer that awaits it commits its input only after its output is durable.
 *
 * <p>Every event is encoded and measured before anything is sent: one over {@link EventLimits#MAX_EVENT_BYTES}
 * fails the returned Uni with an {@link EventTooLargeException} and none of the batch reaches Kafka. The producer
 * would refuse it anyway ({@code RecordTooLargeException}), but only after the batch's smaller events went out,
 * and without naming the event.
 */
@ApplicationScoped
public class OutboundEvents {

    @Inject
    EventCodec codec;

    @Inject
    SeedloopMeters meters;

    @Inject
    BatchTraces traces;

    public Uni<Void> publish(MutinyEmitter<byte[]> channel, List<EventEnvelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Message<byte[]>> messages;
        try {
            messages = encode(events);
        } catch (EventTooLargeException e) {
            return Uni.createFrom().failure(e);
        }
        List<Uni<Void>> sends = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            EventEnvelope event = events.get(i);
            sends.add(channel.sendMessage(messages.get(i)).invoke(() -> meters.published(event)));
        }
        return Uni.join().all(sends).andFailFast().replaceWithVoid();
    }

    /**
     * One event after the other, each acknowledged before the next is sent, and {@code sent} told of each as soon
     * as the broker has it. For a handler whose events depend on each other (an evaluation and the champion change
     * it causes): when a later send fails, the handler knows exactly what went out and, on its retry, owes only the
     * rest. Sizes are checked for all of them first, as in {@link #publish}.
     */
    public Uni<Void> publishInOrder(MutinyEmitter<byte[]> channel, List<EventEnvelope> events,
            Consumer<EventEnvelope> sent) {
        List<Message<byte[]>> messages;
        try {
            messages = encode(events);
        } catch (EventTooLargeException e) {
            return Uni.createFrom().failure(e);
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < messages.size(); i++) {
            Message<byte[]> message = messages.get(i);
            EventEnvelope event = events.get(i);
            chain = chain.chain(() -> channel.sendMessage(message)).invoke(() -> {
                meters.published(event);
                sent.accept(event);
            });
        }
        return chain;
    }

    private List<Message<byte[]>> encode(List<EventEnvelope> events) {
        List<Message<byte[]>> messages = new ArrayList<>(events.size());
        for (EventEnvelope event : events) {
            byte[] value = codec.encode(event);
            if (value.length > EventLimits.MAX_EVENT_BYTES) {
                throw new EventTooLargeException(event, value.length);
            }
            Message<byte[]> message = EventMessages.toMessage(event, value);
            // Within the trace of its cause when that came in a batch (none of whose traces is current).
            messages.add(traces.of(event.causationId())
                    .map(cause -> message.addMetadata(TracingMetadata.withCurrent(cause))).orElse(message));
        }
        return messages;
    }
}
