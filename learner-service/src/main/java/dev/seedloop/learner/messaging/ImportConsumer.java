package dev.seedloop.learner.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.application.ReadModelRebuild;
import dev.seedloop.learner.persistence.EventStore;
import io.smallrye.mutiny.Uni;

/**
 * Stores imported studies: slices of a study's events, checked whole by the gateway before it published the
 * first one. They are history, not requests: they are stored as they are, never decided upon nor journaled
 * (no stage reacts to them), and the study's read-model rows are derived afterwards. A redelivered slice is a
 * no-op (event ids).
 */
@ApplicationScoped
public class ImportConsumer {

    private static final Logger LOG = Logger.getLogger(ImportConsumer.class);

    @Inject
    EventCodec codec;

    @Inject
    EventStore store;

    @Inject
    EventRecorder recorder;

    @Inject
    ReadModelRebuild readModels;

    @Incoming("imports-in")
    public Uni<Void> store(ConsumerRecord<String, byte[]> slice) {
        List<EventEnvelope> events = new String(slice.value(), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.isBlank())
                .map(codec::decode)
                .toList();
        return store.append(events)
                .invoke(result -> LOG.infof("imported %d events of study %s (%d already stored)", result.appended(),
                        slice.key(), result.duplicates()))
                .invoke(() -> recorder.forget(slice.key()))
                // Every slice, not only the first: the study's row must say what all its stored events say.
                .chain(() -> readModels.refresh(slice.key()))
                .replaceWithVoid();
    }
}
