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

    /**
     * The first event of a new causal chain: one triggered from outside the log (a person's command, an
     * upload), so nothing caused it ({@code causationId} null) and it names its chain by its own id
     * ({@code correlationId = eventId}); every event it causes inherits that correlation.
     */
    public static EventEnvelope firstOfChain(UUID eventId, String studyId, String team, Instant occurredAt,
                                             String producer, EventPayload payload) {
        return new EventEnvelope(eventId, studyId, team, occurredAt, null, eventId, producer, payload);
    }

    /**
     * An event that this one caused: same study and team, in the same causal chain (its correlation),
     * with this event as its direct cause. Every reaction is built here so that lineage is never copied
     * field by field and cannot drift between services. The id is the caller's because it is usually
     * derived ({@link EventIds#derived}) from what the reaction is about, so a redelivered cause yields
     * the same id and downstream deduplication holds.
     */
    public EventEnvelope caused(UUID eventId, Instant occurredAt, String producer, EventPayload payload) {
        return new EventEnvelope(eventId, studyId, team, occurredAt, this.eventId, correlationId, producer, payload);
    }

    /**
     * The same event (id, time, lineage, producer) with another payload: for a fact restated before it is
     * published, e.g. an outcome shrunk to fit the size limit, or a study creation that learned its fork origin.
     * Keeping the id is the point: it stays the one event, deduplicated as such.
     */
    public EventEnvelope withPayload(EventPayload payload) {
        return new EventEnvelope(eventId, studyId, team, occurredAt, causationId, correlationId, producer, payload);
    }

    /**
     * The same event filed under another study and team, everything else (id, time, lineage, producer,
     * payload) kept: an imported study's log is remapped to where the importing team holds it. Study and
     * team change together because a study belongs to exactly one team.
     */
    public EventEnvelope withStudyAndTeam(String studyId, String team) {
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
