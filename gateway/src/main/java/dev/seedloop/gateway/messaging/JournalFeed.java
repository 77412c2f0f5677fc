package dev.seedloop.gateway.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

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

    private final BroadcastProcessor<String> studies = BroadcastProcessor.create();

    /** Only the key matters here: the stream reads the events themselves from the store, in order. */
    @Incoming("journal")
    public void onRecord(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warnf("journal record at offset %d has no study key; ignored", record.offset());
            return;
        }
        studies.onNext(record.key());
    }

    /** The study id of each journal record from now on. Hot: a slow subscriber must buffer or drop. */
    public Multi<String> studiesWithNews() {
        return studies;
    }
}
