package dev.seedloop.events;

import java.time.Instant;
import java.util.UUID;

/**
 * One immutable fact in a study's log. The envelope carries identity and lineage; the payload
 * carries the fact. {@code causationId} is the event that directly caused this one (null for
 * events triggered from outside, e.g. by the gateway), {@code correlationId} groups every event of
 * one causal chain. {@code type()} and {@code version()} are not stored: they follow from the
 * payload class via {@link EventTypes}, so an envelope can never disagree with its payload.
 *
 * <p>Invariants: all components except {@code causationId} are non-null; studyId, team and
 * producer are non-blank. The Kafka record key is {@code studyId}.
 */
public record EventEnvelope(UUID eventId, String studyId, String team, Instant occurredAt,
                            @Nullable UUID causationId, UUID correlationId, String producer,
                            EventPayload payload) {

    public EventEnvelope {
        Checks.notNull(eventId, "eventId");
        Checks.notBlank(studyId, "studyId");
        Checks.notBlank(team, "team");
        Checks.notNull(occurredAt, "occurredAt");
        Checks.notNull(correlationId, "correlationId");
        Checks.notBlank(producer, "producer");
        Checks.notNull(payload, "payload");
    }

    public static EventEnvelope of(UUID eventId, String studyId, String team, Instant occurredAt, UUID causationId,
                                   UUID correlationId, String producer, EventPayload payload) {
        return new EventEnvelope(eventId, studyId, team, occurredAt, causationId, correlationId, producer, payload);
    }

    /** Logical type name from the production registry, e.g. {@code seedloop.proposal.created}. */
    public String type() {
        return EventTypes.forPayload(payload.getClass()).name();
    }

    /** Current version of this payload's type in the production registry. */
    public int version() {
        return EventTypes.forPayload(payload.getClass()).version();
    }
}
