package dev.seedloop.learner.store.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import dev.seedloop.events.Topics;
import dev.seedloop.learner.store.persistence.StoredEvent;
import dev.seedloop.messaging.EventMessages;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes stored events to {@code seedloop.journal} in store order, as the gateway's live streams need
 * them: key = study id, value = the envelope exactly as stored, header {@value #SEQUENCE_HEADER} = the study
 * sequence (decimal), so a stream can resume after the last sequence it delivered. Completes when the broker
 * has all of them (acks=all), before the batch that stored them is acknowledged: a crash can repeat events
 * but never skip one.
 */
@ApplicationScoped
public class Journal {

    public static final String SEQUENCE_HEADER = Topics.JOURNAL_SEQUENCE_HEADER;

    // A batch is bounded by the poll size; the sends of one batch must all be accepted at once.
    @Inject
    @Channel("journal")
    @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
    MutinyEmitter<byte[]> journal;

    public Uni<Void> publish(List<StoredEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Subscribed in list order, so one study's records reach its partition in sequence order.
        return Uni.join().all(events.stream().map(event -> journal.sendMessage(toMessage(event))).toList())
                .andFailFast().replaceWithVoid();
    }

    static Message<byte[]> toMessage(StoredEvent stored) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SEQUENCE_HEADER, Long.toString(stored.studySequence()).getBytes(StandardCharsets.UTF_8));
        headers.add(EventMessages.TYPE_HEADER, stored.event().type().getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(stored.event().studyId())
                .withHeaders(headers)
                .build();
        return Message.of(stored.json().getBytes(StandardCharsets.UTF_8)).addMetadata(metadata);
    }
}
