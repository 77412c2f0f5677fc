package dev.seedloop.learner.store.application;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import dev.seedloop.events.EventEnvelope;

/**
 * The copy of the store that the Kafka topics keep (ADR 0002), as a restore reads it: from the beginning of
 * each topic, in chunks handed to the caller one at a time, without joining any consumer group.
 */
public interface TopicArchive {

    /** A journal record: a stored study event's text exactly as stored, its study sequence, when it was published. */
    record JournalEntry(EventEnvelope event, String json, long sequence, Instant publishedAt) {
    }

    /** An event as a source topic holds it (an import slice holds several), and when its record was produced. */
    record SourceEvent(EventEnvelope event, Instant producedAt) {
    }

    /** Records read, and those of them skipped because no consumer of the learner could have used them. */
    record Read(long records, long skipped) {
    }

    /**
     * Every record of {@code topic} up to its end offsets as of the call, each partition in offset order. A topic
     * that does not exist reads as empty.
     */
    Read readJournal(String topic, int chunkSize, Consumer<List<JournalEntry>> chunks);

    /**
     * Every event the learner's consumers have taken off their topics: the event topics up to the offsets its
     * consumer group committed (what comes after is still to be consumed, and decided about, by that group),
     * the imports up to their end. Merged across partitions by record timestamp, each partition in offset order,
     * which approximates the order the learner received them in.
     */
    Read readSources(int chunkSize, Consumer<List<SourceEvent>> chunks);
}
