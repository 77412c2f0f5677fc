package dev.seedloop.learner.persistence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.learner.config.LearnerConfig;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The append-only event store in PostgreSQL, through Hibernate Reactive.
 *
 * <p>Appends take a batch in one transaction: a duplicate event id is a no-op (at-least-once delivery
 * is normal), and positions are assigned under one advisory lock so that the global order is the
 * commit order. Reads are streams of pages by key, so replaying a study of any length needs memory for
 * one page only.
 */
@ApplicationScoped
public class EventStore {

    /** Any constant shared by all appenders; it names the lock that serializes position assignment. */
    private static final long APPEND_LOCK = 0x5eed_1009L;

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    EventCodec codec;

    @Inject
    LearnerConfig config;

    public Uni<AppendResult> append(List<EventEnvelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(new AppendResult(0, 0));
        }
        return sessions.withTransaction((session, tx) -> lockForAppend(session)
                .chain(() -> withoutStored(session, events))
                .chain(fresh -> insert(session, fresh)
                        .map(appended -> new AppendResult(appended, events.size() - appended))));
    }

    /**
     * Serializes appenders until the transaction ends, so positions are assigned in commit order.
     * Call first in any transaction that appends.
     */
    public Uni<Void> lockForAppend(Mutiny.Session session) {
        return session.createNativeQuery("select cast(pg_advisory_xact_lock(" + APPEND_LOCK + ") as text)", String.class)
                .getSingleResult()
                .replaceWithVoid();
    }

    /** The events not stored yet, first occurrence of each id kept, in the given order. */
    public Uni<List<EventEnvelope>> withoutStored(Mutiny.Session session, List<EventEnvelope> events) {
        Map<UUID, EventEnvelope> unique = new LinkedHashMap<>();
        for (EventEnvelope event : events) {
            unique.putIfAbsent(event.eventId(), event);
        }
        if (unique.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return session.createSelectionQuery(
                        "select e.eventId from StoredEventEntity e where e.eventId in :ids", UUID.class)
                .setParameter("ids", unique.keySet())
                .getResultList()
                .map(stored -> {
                    Set<UUID> known = new HashSet<>(stored);
                    return unique.values().stream().filter(event -> !known.contains(event.eventId())).toList();
                });
    }

    /** Appends events known to be new (see {@link #withoutStored}); returns how many. Needs the lock. */
    public Uni<Integer> insert(Mutiny.Session session, List<EventEnvelope> fresh) {
        if (fresh.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return assignPositions(session, fresh)
                .chain(rows -> session.persistAll(rows.toArray()).chain(session::flush).replaceWith(rows.size()));
    }

    /** Events a producer derived from the given causes: what to publish again after a crash. */
    public Uni<List<EventEnvelope>> causedBy(Mutiny.Session session, Collection<UUID> causes, String producer) {
        if (causes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return session.createSelectionQuery("from StoredEventEntity e where e.causationId in :causes"
                        + " and e.producer = :producer order by e.globalPosition", StoredEventEntity.class)
                .setParameter("causes", causes)
                .setParameter("producer", producer)
                .getResultList()
                .map(rows -> rows.stream().map(row -> codec.decode(row.envelope)).toList());
    }

    private Uni<List<StoredEventEntity>> assignPositions(Mutiny.Session session, List<EventEnvelope> fresh) {
        Set<String> studies = new HashSet<>();
        fresh.forEach(event -> studies.add(event.studyId()));
        Uni<Long> lastPosition = session.createSelectionQuery(
                "select coalesce(max(e.globalPosition), 0) from StoredEventEntity e", Long.class)
                .getSingleResult();
        Uni<List<Object[]>> lastSequences = session.createSelectionQuery(
                "select e.studyId, max(e.studySequence) from StoredEventEntity e"
                        + " where e.studyId in :studies group by e.studyId", Object[].class)
                .setParameter("studies", studies)
                .getResultList();
        return lastPosition.chain(position -> lastSequences.map(sequences -> {
            Map<String, Long> nextSequence = new HashMap<>();
            for (Object[] row : sequences) {
                nextSequence.put((String) row[0], (Long) row[1]);
            }
            long next = position;
            List<StoredEventEntity> rows = new ArrayList<>(fresh.size());
            for (EventEnvelope event : fresh) {
                long sequence = nextSequence.merge(event.studyId(), 1L, Long::sum);
                rows.add(toRow(event, ++next, sequence));
            }
            return rows;
        }));
    }

    private StoredEventEntity toRow(EventEnvelope event, long globalPosition, long studySequence) {
        StoredEventEntity row = new StoredEventEntity();
        row.globalPosition = globalPosition;
        row.studySequence = studySequence;
        row.eventId = event.eventId();
        row.studyId = event.studyId();
        row.team = event.team();
        row.eventType = event.type();
        row.schemaVersion = event.version();
        row.occurredAt = event.occurredAt();
        row.causationId = event.causationId();
        row.correlationId = event.correlationId();
        row.producer = event.producer();
        row.envelope = codec.encodeToString(event);
        return row;
    }

    /** One study's events after {@code afterSequence}, in study order, streamed page by page. */
    public Multi<StoredEvent> readStudy(String studyId, long afterSequence) {
        return pages(afterSequence, (session, cursor) -> session.createSelectionQuery(
                "from StoredEventEntity e where e.studyId = :study and e.studySequence > :cursor"
                        + " order by e.studySequence", StoredEventEntity.class)
                .setParameter("study", studyId)
                .setParameter("cursor", cursor), row -> row.studySequence);
    }

    /** Every event after {@code afterPosition}, in global order, streamed page by page. */
    public Multi<StoredEvent> readAll(long afterPosition) {
        return pages(afterPosition, (session, cursor) -> session.createSelectionQuery(
                "from StoredEventEntity e where e.globalPosition > :cursor order by e.globalPosition",
                StoredEventEntity.class)
                .setParameter("cursor", cursor), row -> row.globalPosition);
    }

    private Multi<StoredEvent> pages(long start,
            BiFunction<Mutiny.Session, Long, Mutiny.SelectionQuery<StoredEventEntity>> query,
            ToLongFunction<StoredEventEntity> key) {
        int pageSize = config.store().readPageSize();
        AtomicLong cursor = new AtomicLong(start);
        return Multi.createBy().repeating()
                .uni(() -> sessions.withSession(session -> query.apply(session, cursor.get())
                        .setMaxResults(pageSize)
                        .getResultList()
                        .invoke(page -> {
                            if (!page.isEmpty()) {
                                cursor.set(key.applyAsLong(page.get(page.size() - 1)));
                            }
                        })))
                .until(List::isEmpty)
                .onItem().<StoredEventEntity>disjoint()
                .map(row -> new StoredEvent(row.globalPosition, row.studySequence, codec.decode(row.envelope),
                        row.envelope));
    }
}
