package dev.seedloop.learner.persistence;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.learner.config.LearnerConfig;
import io.smallrye.mutiny.Multi;

/**
 * Reads a study's stored events with the time the store recorded each ({@code recorded_at}, set by the
 * database on insert), for reports that tell when the learner learned of an event as well as when it
 * happened. Streams page by page like {@link EventStore#readStudy}, so a study of any length needs memory
 * for one page.
 */
@ApplicationScoped
public class RecordedEvents {

    /** One stored event of a study: its study sequence, when it was stored, and the decoded envelope. */
    public record Recorded(long sequence, Instant recordedAt, EventEnvelope event) {
    }

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    EventCodec codec;

    @Inject
    LearnerConfig config;

    /** The study's events in study order, from the first. */
    public Multi<Recorded> study(String studyId) {
        int pageSize = config.store().readPageSize();
        AtomicLong cursor = new AtomicLong();
        return Multi.createBy().repeating()
                .uni(() -> sessions.withSession(session -> session.createNativeQuery(
                                "select e.study_sequence, e.recorded_at, e.envelope from event_store e"
                                        + " where e.study_id = :study and e.study_sequence > :cursor"
                                        + " order by e.study_sequence", Object[].class)
                        .setParameter("study", studyId)
                        .setParameter("cursor", cursor.get())
                        .setMaxResults(pageSize)
                        .getResultList()
                        .map(rows -> rows.stream().map(this::recorded).toList())
                        .invoke(page -> {
                            if (!page.isEmpty()) {
                                cursor.set(page.getLast().sequence());
                            }
                        })))
                .until(List::isEmpty)
                .onItem().<Recorded>disjoint();
    }

    private Recorded recorded(Object[] row) {
        return new Recorded(((Number) row[0]).longValue(), instant(row[1]), codec.decode((String) row[2]));
    }

    /** The driver's type for {@code timestamptz} depends on Hibernate's settings; all of them are instants. */
    private static Instant instant(Object value) {
        return switch (value) {
            case null -> null;
            case Instant i -> i;
            case OffsetDateTime o -> o.toInstant();
            case java.util.Date d -> d.toInstant();
            case LocalDateTime l -> l.toInstant(ZoneOffset.UTC);
            default -> throw new IllegalStateException("recorded_at came back as " + value.getClass().getName());
        };
    }
}
