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
import io.smallrye.mutiny.Uni;

/**
 * Stores imported studies: slices of a study's events, checked whole by the gateway before it published the
 * first one. They are history, not requests: recorded as they are ({@link EventRecorder#recordHistory}: folded,
 * their read-model row kept up to date slice by slice, snapshotted), never decided upon nor journaled (no stage
 * reacts to them). A redelivered slice is a no-op (study and event ids).
 */
@ApplicationScoped
public class ImportConsumer {

    private static final Logger LOG = Logger.getLogger(ImportConsumer.class);

    @Inject
    EventCodec codec;

    @Inject
    EventRecorder recorder;

    @Incoming("imports-in")
    public Uni<Void> store(ConsumerRecord<String, byte[]> slice) {
        List<EventEnvelope> events = new String(slice.value(), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.isBlank())
                .map(codec::decode)
                .toList();
        return recorder.recordHistory(events)
                .invoke(result -> LOG.infof("imported %d events of study %s (%d already stored)", result.appended(),
                        slice.key(), events.size() - result.appended()))
                .replaceWithVoid();
    }
}
