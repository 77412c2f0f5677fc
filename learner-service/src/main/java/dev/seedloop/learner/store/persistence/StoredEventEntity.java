package dev.seedloop.learner.store.persistence;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

/** One row of the append-only event store; {@link Immutable} so Hibernate never issues an UPDATE. */
@Entity
@Immutable
@Table(name = "event_store")
public class StoredEventEntity {

    @Id
    @Column(name = "global_position")
    public long globalPosition;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    @Column(name = "study_id", nullable = false)
    public String studyId;

    @Column(name = "study_sequence", nullable = false)
    public long studySequence;

    @Column(name = "team", nullable = false)
    public String team;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(name = "schema_version", nullable = false)
    public int schemaVersion;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "causation_id")
    public UUID causationId;

    @Column(name = "correlation_id", nullable = false)
    public UUID correlationId;

    @Column(name = "producer", nullable = false)
    public String producer;

    @Column(name = "envelope", nullable = false)
    public String envelope;
}
