package dev.seedloop.learner.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.messaging.InboundEvents;
import dev.seedloop.messaging.OutboundEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Records every event of every topic, a poll's worth at a time (one transaction per batch keeps the
 * loop's bookkeeping cheap), then publishes what it stored to the journal and the learner's decisions
 * to their topics. The batch is acknowledged (its offsets committed) only after all of that, so a crash
 * replays it: stored events are no-ops, and they and their stored decisions are published again.
 */
@ApplicationScoped
public class EventStoreConsumer {

    private static final Logger LOG = Logger.getLogger(EventStoreConsumer.class);

    @Inject
    InboundEvents inbound;

    @Inject
    OutboundEvents outbound;

    @Inject
    EventRecorder recorder;

    @Inject
    Journal journal;

    @Inject
    @Channel("strategy-out")
    MutinyEmitter<byte[]> strategy;

    @Inject
    @Channel("studies-out")
    MutinyEmitter<byte[]> studies;

    @Incoming("events-in")
    public Uni<Void> record(ConsumerRecords<String, byte[]> records) {
        return inbound.decodeAll(records, Services.LEARNER)
                .chain(recorder::record)
                .invoke(result -> LOG.debugf("stored %d new events, %d decisions", result.appended(),
                        result.decisions().size()))
                .chain(result -> journal.publish(result.journal()).chain(() -> publish(result.decisions())));
    }

    private Uni<Void> publish(List<EventEnvelope> decisions) {
        List<EventEnvelope> updates = decisions.stream().filter(e -> e.payload() instanceof StrategyUpdated).toList();
        List<EventEnvelope> lifecycle = decisions.stream().filter(e -> !(e.payload() instanceof StrategyUpdated))
                .toList();
        return outbound.publish(strategy, updates).chain(() -> outbound.publish(studies, lifecycle));
    }
}
