package dev.seedloop.gateway.messaging;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.seedloop.events.Topics;
import dev.seedloop.gateway.application.JournalEntry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Follows the learner's journal (every stored event with its study sequence) and fans it out to the open
 * live streams. Each gateway instance reads the whole journal from "now" in its own consumer group; the
 * journal is only a wake-up feed: streams heal gaps from the store, so a record missed here costs latency,
 * never an event.
 */
@ApplicationScoped
public class JournalFeed {

    private static final Logger LOG = Logger.getLogger(JournalFeed.class);

    private final BroadcastProcessor<JournalEntry> entries = BroadcastProcessor.create();

    @Incoming("journal")
    public void onRecord(ConsumerRecord<String, byte[]> record) {
        Header sequence = record.headers().lastHeader(Topics.JOURNAL_SEQUENCE_HEADER);
        if (sequence == null || record.key() == null) {
            LOG.warnf("journal record at offset %d has no study key or sequence; ignored", record.offset());
            return;
        }
        try {
            long seq = Long.parseLong(new String(sequence.value(), StandardCharsets.UTF_8));
            entries.onNext(new JournalEntry(record.key(), seq, new String(record.value(), StandardCharsets.UTF_8)));
        } catch (NumberFormatException e) {
            LOG.warnf("journal record at offset %d has a bad sequence header; ignored", record.offset());
        }
    }

    /** Journal entries from now on, for every study. Hot: a slow subscriber must buffer or drop. */
    public Multi<JournalEntry> entries() {
        return entries;
    }
}
