package dev.seedloop.learner.store.persistence;

import dev.seedloop.events.EventEnvelope;

/**
 * An event as the store hands it back: where it stands globally and in its study, and the envelope
 * decoded from the exact JSON that was appended.
 */
public record StoredEvent(long globalPosition, long studySequence, EventEnvelope event, String json) {
}
