package dev.seedloop.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Publishes events on a service's outgoing channel and completes when the broker has acknowledged all
 * of them (acks=all), so a consumer that awaits it commits its input only after its output is durable.
 */
@ApplicationScoped
public class OutboundEvents {

    @Inject
    EventCodec codec;

    public Uni<Void> publish(MutinyEmitter<byte[]> channel, List<EventEnvelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = events.stream()
                .map(event -> channel.sendMessage(EventMessages.toMessage(codec, event)))
                .toList();
        return Uni.join().all(sends).andFailFast().replaceWithVoid();
    }
}
