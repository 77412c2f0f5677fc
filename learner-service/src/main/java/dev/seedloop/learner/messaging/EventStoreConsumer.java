package dev.seedloop.learner.messaging;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.store.messaging.Journal;
import dev.seedloop.messaging.InboundChannels;
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
    static final String CHANNEL = "events-in";

    @Inject
    InboundChannels channels;

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

    /**
     * A database or broker that is down holds the batch (retried, readiness DOWN) instead of failing the channel;
     * an event the store refuses for good is dead-lettered by itself once the batch is retried one by one (ADR 0014).
     */
    @Incoming("events-in")
    public Uni<Void> record(ConsumerRecords<String, byte[]> records) {
        return channels.processBatch(CHANNEL, records, events -> recorder.record(events)
                .invoke(result -> LOG.debugf("stored %d new events, %d decisions", result.appended(),
                        result.decisions().size()))
                .chain(result -> journal.publish(result.journal()).chain(() -> publish(result.decisions()))));
    }

    private Uni<Void> publish(List<EventEnvelope> decisions) {
        List<EventEnvelope> updates = decisions.stream().filter(e -> e.payload() instanceof StrategyUpdated).toList();
        List<EventEnvelope> lifecycle = decisions.stream().filter(e -> !(e.payload() instanceof StrategyUpdated))
                .toList();
        return outbound.publish(strategy, updates).chain(() -> outbound.publish(studies, lifecycle));
    }
}
