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
import dev.seedloop.learner.domain.ImportRules;
import dev.seedloop.messaging.InboundChannels;
import io.smallrye.mutiny.Uni;

/**
 * Stores imported studies: slices of a study's events, checked whole by the gateway before it published the
 * first one. They are history, not requests: recorded as they are ({@link EventRecorder#recordHistory}: folded,
 * their read-model row kept up to date slice by slice, snapshotted), never decided upon nor journaled (no stage
 * reacts to them). A redelivered slice is a no-op (study and event ids).
 *
 * <p>A slice is stored whole or not at all: one that does not decode, or that carries anything but its study's own
 * history ({@link ImportRules}: a team's quota, another study's events), is parked on the dead-letter topic with the
 * reason and nothing of it is stored.
 */
@ApplicationScoped
public class ImportConsumer {

    private static final Logger LOG = Logger.getLogger(ImportConsumer.class);

    static final String CHANNEL = "imports-in";

    @Inject
    EventCodec codec;

    @Inject
    EventRecorder recorder;

    @Inject
    InboundChannels channels;

    /**
     * A slice that fails to store because the database is away is retried until it is back; one that does not
     * decode or breaks the import rules fails the same way on every attempt and is parked (ADR 0014).
     */
    @Incoming("imports-in")
    public Uni<Void> store(ConsumerRecord<String, byte[]> slice) {
        return channels.processRecord(CHANNEL, slice, this::storeChecked);
    }

    private Uni<Void> storeChecked(ConsumerRecord<String, byte[]> slice) {
        List<EventEnvelope> events = decode(slice);
        String problem = ImportRules.problem(slice.key(), events);
        if (problem != null) {
            throw new IllegalArgumentException("import refused: " + problem);
        }
        return recorder.recordHistory(events)
                .invoke(result -> LOG.infof("imported %d events of study %s (%d already stored)", result.appended(),
                        slice.key(), events.size() - result.appended()))
                .replaceWithVoid();
    }

    /** The slice's events, in order; a slice of JSON lines as the gateway publishes it. */
    List<EventEnvelope> decode(ConsumerRecord<String, byte[]> slice) {
        if (slice.value() == null) {
            throw new IllegalArgumentException("an import slice without a value (tombstone)");
        }
        return new String(slice.value(), StandardCharsets.UTF_8).lines()
                .filter(line -> !line.isBlank())
                .map(codec::decode)
                .toList();
    }
}
