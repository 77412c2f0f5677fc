package dev.seedloop.messaging;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventLimits;

/**
 * An event whose encoding exceeds {@link EventLimits#MAX_EVENT_BYTES}, refused before it reached Kafka. The
 * handler that made it fails on this one record (which goes to the dead-letter topic with this message), instead of
 * the producer refusing the record and the channel stalling every study behind it.
 */
public final class EventTooLargeException extends IllegalArgumentException {

    private final int size;

    public EventTooLargeException(EventEnvelope event, int size) {
        super("event " + event.type() + " v" + event.version() + " " + event.eventId() + " of study " + event.studyId()
                + " encodes to " + size + " bytes, over the limit of " + EventLimits.MAX_EVENT_BYTES + " bytes");
        this.size = size;
    }

    /** The encoded size, in bytes. */
    public int size() {
        return size;
    }
}
