package dev.seedloop.learner.query.domain.charts;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The builders of the studies whose charts were answered last, each as of the sequence it answered: the next answer
 * for such a study, at that sequence or later, folds only the events since (stored events never change). A dashboard
 * refreshing a live study of 100 000 experiments then pays for its new events, not for the whole study again.
 *
 * <p>A builder is handed out to one answer at a time (taken out while in use) and kept again afterwards; at most
 * {@code capacity} studies are kept, the least recently answered dropped first. Thread-safe.
 */
public final class ChartsHeads {

    /** Where an answer starts: a builder, and the sequence after which its events are still to be told. */
    public record Start(ChartsBuilder builder, long after) {
    }

    private final int capacity;
    private final LinkedHashMap<String, ChartsBuilder> kept = new LinkedHashMap<>(16, 0.75f, true);

    /** @param capacity the most studies kept; 0 keeps none */
    public ChartsHeads(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0 but was " + capacity);
        }
        this.capacity = capacity;
    }

    /** The kept builder of the study when it is as of {@code upTo} or earlier, else a new one. */
    public synchronized Start start(String studyId, long upTo) {
        ChartsBuilder builder = kept.get(studyId);
        if (builder != null && builder.sequence() <= upTo) {
            kept.remove(studyId);
            return new Start(builder, builder.sequence());
        }
        return new Start(new ChartsBuilder(studyId), 0);
    }

    /** Keeps the builder of an answer, unless one further on is kept for the study already. */
    public synchronized void keep(String studyId, ChartsBuilder builder) {
        ChartsBuilder other = kept.get(studyId);
        if (capacity == 0 || (other != null && other.sequence() > builder.sequence())) {
            return;
        }
        kept.put(studyId, builder);
        Iterator<String> eldest = kept.keySet().iterator();
        while (kept.size() > capacity) {
            eldest.next();
            eldest.remove();
        }
    }

    /** How many studies are kept. */
    public synchronized int size() {
        return kept.size();
    }
}
