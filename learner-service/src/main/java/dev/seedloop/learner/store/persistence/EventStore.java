package dev.seedloop.learner.store.persistence;

import java.time.Instant;
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
import dev.seedloop.events.EventTypes;
import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.query.domain.ReplySize;
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

    /** Takes the append lock until the transaction ends; for appenders that work on a plain connection. */
    static final String APPEND_LOCK_SQL = "select cast(pg_advisory_xact_lock(" + APPEND_LOCK + ") as text)";

    /** A study's StudyCreated: where the store holds it, and the study. */
    public record CreatedStudy(long position, String studyId) {
    }

    private final Mutiny.SessionFactory sessions;
    private final EventCodec codec;
    private final LearnerConfig config;

    /** Constructed, not field-injected, so that {@code ./seedloop bench appends} runs this very class without CDI. */
    @Inject
    public EventStore(Mutiny.SessionFactory sessions, EventCodec codec, LearnerConfig config) {
        this.sessions = sessions;
        this.codec = codec;
        this.config = config;
    }

    public Uni<AppendResult> append(List<EventEnvelope> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(new AppendResult(0, 0));
        }
        return sessions.withTransaction((session, tx) -> lockForAppend(session)
                .chain(() -> withoutStored(session, events))
                .chain(fresh -> insert(session, fresh)
                        .map(stored -> new AppendResult(stored.size(), events.size() - stored.size()))));
    }

    /**
     * Serializes appenders until the transaction ends, so positions are assigned in commit order.
     * Call first in any transaction that appends.
     */
    public Uni<Void> lockForAppend(Mutiny.Session session) {
        return session.createNativeQuery(APPEND_LOCK_SQL, String.class)
                .getSingleResult()
                .replaceWithVoid();
    }

    /**
     * The events not stored yet, first occurrence of each kept, in the given order. An event is known by its
     * study and id: an imported copy of a study holds the original's event ids under its own study id.
     */
    public Uni<List<EventEnvelope>> withoutStored(Mutiny.Session session, List<EventEnvelope> events) {
        Map<StudyEvent, EventEnvelope> unique = new LinkedHashMap<>();
        Set<UUID> ids = new HashSet<>();
        for (EventEnvelope event : events) {
            unique.putIfAbsent(new StudyEvent(event.studyId(), event.eventId()), event);
            ids.add(event.eventId());
        }
        if (unique.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return session.createSelectionQuery(
                        "select e.studyId, e.eventId from StoredEventEntity e where e.eventId in :ids", Object[].class)
                .setParameter("ids", ids)
                .getResultList()
                .map(stored -> {
                    Set<StudyEvent> known = new HashSet<>();
                    stored.forEach(row -> known.add(new StudyEvent((String) row[0], (UUID) row[1])));
                    return unique.entrySet().stream().filter(entry -> !known.contains(entry.getKey()))
                            .map(Map.Entry::getValue).toList();
                });
    }

    private record StudyEvent(String studyId, UUID eventId) {
    }

    /**
     * Appends events known to be new (see {@link #withoutStored}) and returns them as stored, in store
     * order. Needs the lock.
     */
    public Uni<List<StoredEvent>> insert(Mutiny.Session session, List<EventEnvelope> fresh) {
        if (fresh.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return assignPositions(session, fresh)
                .chain(rows -> session.persistAll(rows.toArray()).chain(session::flush).map(ignored -> {
                    List<StoredEvent> stored = new ArrayList<>(rows.size());
                    for (int i = 0; i < rows.size(); i++) {
                        StoredEventEntity row = rows.get(i);
                        stored.add(new StoredEvent(row.globalPosition, row.studySequence, fresh.get(i), row.envelope));
                    }
                    return stored;
                }));
    }

    /**
     * What a redelivered batch hands on again, in store order: the given events as stored, except those
     * {@code producer} wrote itself (they went out with their cause), and the events {@code producer}
     * derived from them. Events that were never stored are absent.
     */
    public Uni<List<StoredEvent>> storedAgain(Mutiny.Session session, Collection<UUID> ids,
            Collection<String> studies, String producer) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        // Within the batch's studies: an imported copy holds the same event ids under another study id.
        return session.createSelectionQuery("from StoredEventEntity e where e.studyId in :studies and ("
                        + "(e.eventId in :ids and e.producer <> :producer)"
                        + " or (e.causationId in :ids and e.producer = :producer))"
                        + " order by e.globalPosition", StoredEventEntity.class)
                .setParameter("ids", ids)
                .setParameter("studies", studies)
                .setParameter("producer", producer)
                .getResultList()
                .map(rows -> rows.stream().map(this::toStored).toList());
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

    /**
     * Up to {@code limit} of a study's events after {@code afterSequence}, in study order, as stored text;
     * only the given logical types unless {@code types} is empty.
     */
    public Uni<List<StoredJson>> page(String studyId, long afterSequence, int limit, Collection<String> types) {
        String typeFilter = types.isEmpty() ? "" : " and e.eventType in :types";
        return sessions.withSession(session -> {
            var query = session.createSelectionQuery("select e.studySequence, e.envelope from StoredEventEntity e"
                            + " where e.studyId = :study and e.studySequence > :after" + typeFilter
                            + " order by e.studySequence", Object[].class)
                    .setParameter("study", studyId)
                    .setParameter("after", afterSequence)
                    .setMaxResults(limit);
            if (!types.isEmpty()) {
                query.setParameter("types", types);
            }
            return query.getResultList()
                    .map(rows -> rows.stream().map(row -> new StoredJson((Long) row[0], (String) row[1])).toList());
        });
    }

    /**
     * The sequences and stored sizes (bytes of the envelope text) of up to {@code limit} of a study's events after
     * {@code afterSequence}, filtered as {@link #page} filters: what a page can hold is decided on these before any
     * envelope is read. The sizes come from the row headers, without reading large envelopes themselves.
     */
    public Uni<List<ReplySize.StoredSize>> sizes(String studyId, long afterSequence, int limit,
            Collection<String> types) {
        String typeFilter = types.isEmpty() ? "" : " and e.event_type in (:types)";
        return sessions.withSession(session -> {
            var query = session.createNativeQuery("select e.study_sequence, octet_length(e.envelope) from event_store e"
                            + " where e.study_id = :study and e.study_sequence > :after" + typeFilter
                            + " order by e.study_sequence limit :limit", Object[].class)
                    .setParameter("study", studyId)
                    .setParameter("after", afterSequence)
                    .setParameter("limit", limit);
            if (!types.isEmpty()) {
                query.setParameter("types", types);
            }
            return query.getResultList().map(rows -> rows.stream()
                    .map(row -> new ReplySize.StoredSize(((Number) row[0]).longValue(), ((Number) row[1]).longValue()))
                    .toList());
        });
    }

    /** The ExperimentStarted/Completed/Failed events of one experiment of a study, in study order. */
    public Uni<List<EventEnvelope>> experiment(String studyId, UUID experimentId) {
        // The store has no experiment column; the study's (few) experiment events are filtered on the
        // payload in the database rather than shipped here to be decoded and dropped.
        return sessions.withSession(session -> session.createNativeQuery("select e.envelope from event_store e"
                        + " where e.study_id = :study and e.event_type in (:types)"
                        + " and cast(e.envelope as jsonb) -> 'payload' ->> 'experimentId' = :experiment"
                        + " order by e.study_sequence", String.class)
                .setParameter("study", studyId)
                .setParameter("types", List.of(EventTypes.EXPERIMENT_STARTED, EventTypes.EXPERIMENT_COMPLETED,
                        EventTypes.EXPERIMENT_FAILED))
                .setParameter("experiment", experimentId.toString())
                .getResultList()
                .map(rows -> rows.stream().map(codec::decode).toList()));
    }

    /** How many events of a type a team's studies recorded as occurring at or after {@code since}. */
    public Uni<Long> countSince(String team, String type, Instant since) {
        return sessions.withSession(session -> session.createSelectionQuery("select count(e) from StoredEventEntity e"
                        + " where e.team = :team and e.eventType = :type and e.occurredAt >= :since", Long.class)
                .setParameter("team", team)
                .setParameter("type", type)
                .setParameter("since", since)
                .getSingleResult());
    }

    /**
     * Up to {@code limit} StudyCreated events stored after {@code afterPosition}, in store order: a rebuild
     * walks every study with this, a page at a time, inside its transaction.
     */
    public Uni<List<CreatedStudy>> createdAfter(Mutiny.Session session, long afterPosition, int limit) {
        return session.createSelectionQuery("select e.globalPosition, e.studyId from StoredEventEntity e"
                        + " where e.eventType = :created and e.globalPosition > :after order by e.globalPosition",
                        Object[].class)
                .setParameter("created", EventTypes.STUDY_CREATED)
                .setParameter("after", afterPosition)
                .setMaxResults(limit)
                .getResultList()
                .map(rows -> rows.stream().map(row -> new CreatedStudy((Long) row[0], (String) row[1])).toList());
    }

    /** Up to {@code limit} events of one logical type stored after {@code afterPosition}, in store order. */
    public Uni<List<StoredEvent>> ofTypeAfter(Mutiny.Session session, String type, long afterPosition, int limit) {
        return session.createSelectionQuery("from StoredEventEntity e where e.eventType = :type"
                        + " and e.globalPosition > :after order by e.globalPosition", StoredEventEntity.class)
                .setParameter("type", type)
                .setParameter("after", afterPosition)
                .setMaxResults(limit)
                .getResultList()
                .map(rows -> rows.stream().map(this::toStored).toList());
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
                .map(this::toStored);
    }

    private StoredEvent toStored(StoredEventEntity row) {
        return new StoredEvent(row.globalPosition, row.studySequence, codec.decode(row.envelope), row.envelope);
    }
}
