package dev.seedloop.learner.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.seedloop.events.Services;
import dev.seedloop.learner.persistence.EventStore;
import dev.seedloop.messaging.InboundEvents;
import io.smallrye.mutiny.Uni;

/**
 * Records every event of every topic in the store, a poll's worth at a time: one transaction per batch
 * keeps the per-event cost of the loop's bookkeeping small. The batch is acknowledged (its offsets
 * committed) only after the transaction commits, so a crash replays it and duplicates are no-ops.
 */
@ApplicationScoped
public class EventStoreConsumer {

    private static final Logger LOG = Logger.getLogger(EventStoreConsumer.class);

    @Inject
    InboundEvents inbound;

    @Inject
    EventStore store;

    @Incoming("events-in")
    public Uni<Void> record(ConsumerRecords<String, byte[]> records) {
        return inbound.decodeAll(records, Services.LEARNER)
                .chain(store::append)
                .invoke(result -> LOG.debugf("stored %d events (%d duplicates)", result.appended(),
                        result.duplicates()))
                .replaceWithVoid();
    }
}
