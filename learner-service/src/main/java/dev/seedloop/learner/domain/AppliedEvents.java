package dev.seedloop.learner.domain;

import java.util.UUID;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.TeamStreams;

/**
 * Which events a study has applied: what makes its fold idempotent under redelivery. {@code seenEventIds} grows with
 * the study's log, so it is kept flat ({@link EventIdSet}, ~24 bytes per event); {@code eventsApplied} is their
 * count, which for a fold of the stored log is the study sequence it has reached.
 */
public record AppliedEvents(long eventsApplied, EventIdSet seenEventIds) {

    public static final AppliedEvents EMPTY = new AppliedEvents(0L, EventIdSet.EMPTY);

    public boolean hasSeen(UUID eventId) {
        return seenEventIds.contains(eventId);
    }

    /** Whether a fold leaves a study as it is: a redelivery, or an event of a team stream (which belongs to none). */
    static boolean ignores(boolean seen, EventEnvelope event) {
        return seen || TeamStreams.isTeamStream(event.studyId());
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable working copy: the seen ids grow in place over a replay. */
    static final class Builder {
        long eventsApplied;
        final EventIdSet.Builder seenEventIds;

        Builder(AppliedEvents a) {
            eventsApplied = a.eventsApplied;
            seenEventIds = a.seenEventIds.toBuilder();
        }

        boolean hasSeen(UUID eventId) {
            return seenEventIds.contains(eventId);
        }

        /** Records {@code event}; false (and nothing recorded) when the study {@link #ignores ignores} it. */
        boolean apply(EventEnvelope event) {
            if (ignores(hasSeen(event.eventId()), event)) {
                return false;
            }
            seenEventIds.add(event.eventId());
            eventsApplied++;
            return true;
        }

        AppliedEvents build() {
            return new AppliedEvents(eventsApplied, seenEventIds.build());
        }
    }
}
