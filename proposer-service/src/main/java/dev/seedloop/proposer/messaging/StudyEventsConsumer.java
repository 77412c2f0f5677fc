package dev.seedloop.proposer.messaging;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.messaging.InboundEvents;
import dev.seedloop.messaging.OutboundEvents;
import dev.seedloop.proposer.domain.Proposer;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Study lifecycle in, proposals out; the input is committed only after the proposals are durable. */
@ApplicationScoped
public class StudyEventsConsumer {

    @Inject
    InboundEvents inbound;

    @Inject
    OutboundEvents outbound;

    @Inject
    Clock clock;

    @Inject
    @Channel("proposals-out")
    MutinyEmitter<byte[]> proposals;

    @Incoming("studies-in")
    public Uni<Void> onStudyEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.process(record, Services.PROPOSER, this::handle);
    }

    private Uni<Void> handle(EventEnvelope event) {
        List<EventEnvelope> out = switch (event.payload()) {
            case StudyCreated created -> Proposer.onStudyCreated(event, created, clock.instant());
            default -> List.of();
        };
        return outbound.publish(proposals, out);
    }
}
