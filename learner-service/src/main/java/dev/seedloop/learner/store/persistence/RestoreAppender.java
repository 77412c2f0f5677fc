package dev.seedloop.learner.store.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Puts events back into the store from a copy of it (ADR 0012): in one transaction that holds the append lock
 * from the first event to the commit, so live batches wait and a restore that fails half-way leaves nothing.
 * Still append-only: a restored event goes after its study's last stored event, with either the next sequence
 * or, when it must keep the one it had, only if that is the next one. An event id already stored is skipped,
 * which makes a restore a "fill in what is missing" that can be repeated.
 *
 * <p>Through the reactive PostgreSQL client, like {@link StudyHistory}: {@code recorded_at} is written
 * explicitly (the time the copy says the event was known, not the time of the restore), and each batch of rows
 * goes in one pipelined round trip without entities piling up in a session over millions of events.
 */
@ApplicationScoped
public class RestoreAppender {

    /**
     * An event to put back: the envelope's text as it is to be stored (null: encoded as a live append would),
     * the study sequence it must have (0: the next one of its study), and when it was known, which becomes
     * its {@code recorded_at} unless that would precede its study's last event.
     */
    public record Restorable(EventEnvelope event, String json, long sequence, Instant knownAt) {
    }

    /**
     * What an append did: events stored; events skipped because their id was stored already; events skipped
     * because the sequence they had to keep is not their study's next one (taken by another event, or an
     * earlier one is missing).
     */
    public record Appended(int appended, int duplicates, int displaced) {
    }

    private static final String IS_EMPTY = "select not exists (select 1 from event_store)";
    private static final String LAST_POSITION = "select coalesce(max(global_position), 0) from event_store";
    private static final String STORED_IDS = "select study_id, event_id from event_store where event_id = any($1)";
    private static final String HEADS = "select study_id, max(study_sequence), max(recorded_at) from event_store"
            + " where study_id = any($1) group by study_id";
    private static final String INSERT = "insert into event_store (global_position, event_id, study_id, study_sequence,"
            + " team, event_type, schema_version, occurred_at, recorded_at, causation_id, correlation_id, producer,"
            + " envelope) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

    private final Pool pool;
    private final EventCodec codec;

    @Inject
    public RestoreAppender(Pool pool, EventCodec codec) {
        this.pool = pool;
        this.codec = codec;
    }

    /** Whether the store holds no event at all. */
    public Uni<Boolean> isEmpty() {
        return pool.query(IS_EMPTY).execute().map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Opens the restore's transaction and takes the append lock; the caller must commit or roll back. */
    public Uni<Run> begin() {
        return pool.getConnection().chain(connection -> connection.begin()
                .chain(tx -> connection.query(EventStore.APPEND_LOCK_SQL).execute()
                        .chain(() -> connection.query(LAST_POSITION).execute())
                        .map(rows -> new Run(connection, tx, rows.iterator().next().getLong(0))))
                .onFailure().call(connection::close));
    }

    /** One restore's transaction. Not thread-safe: one append at a time. */
    public final class Run {
        private final SqlConnection connection;
        private final Transaction tx;
        private long lastPosition;

        private Run(SqlConnection connection, Transaction tx, long lastPosition) {
            this.connection = connection;
            this.tx = tx;
            this.lastPosition = lastPosition;
        }

        /** Appends what is missing of {@code events}, in their order (see {@link Appended}). */
        public Uni<Appended> append(List<Restorable> events) {
            if (events.isEmpty()) {
                return Uni.createFrom().item(new Appended(0, 0, 0));
            }
            Set<UUID> ids = new LinkedHashSet<>();
            Set<String> studies = new LinkedHashSet<>();
            events.forEach(r -> {
                ids.add(r.event().eventId());
                studies.add(r.event().studyId());
            });
            return connection.preparedQuery(STORED_IDS).execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new)))
                    .chain(stored -> connection.preparedQuery(HEADS)
                            .execute(Tuple.tuple().addArrayOfString(studies.toArray(String[]::new)))
                            .chain(heads -> insert(events, known(stored), heads(heads))));
        }

        private Uni<Appended> insert(List<Restorable> events, Set<String> known, Map<String, Head> heads) {
            List<Tuple> rows = new ArrayList<>();
            int duplicates = 0;
            int displaced = 0;
            for (Restorable r : events) {
                EventEnvelope event = r.event();
                Head head = heads.getOrDefault(event.studyId(), Head.NONE);
                long sequence = r.sequence() == 0 ? head.sequence() + 1 : r.sequence();
                if (known.contains(key(event.studyId(), event.eventId()))) {
                    duplicates++;
                } else if (sequence != head.sequence() + 1) {
                    // Not remembered as known: a later copy of it may find its place (a republished batch).
                    displaced++;
                } else {
                    Instant recordedAt = head.recordedAt() != null && head.recordedAt().isAfter(r.knownAt())
                            ? head.recordedAt() : r.knownAt();
                    rows.add(row(r, ++lastPosition, sequence, recordedAt));
                    known.add(key(event.studyId(), event.eventId()));
                    heads.put(event.studyId(), new Head(sequence, recordedAt));
                }
            }
            Appended appended = new Appended(rows.size(), duplicates, displaced);
            if (rows.isEmpty()) {
                return Uni.createFrom().item(appended);
            }
            return connection.preparedQuery(INSERT).executeBatch(rows).replaceWith(appended);
        }

        private Tuple row(Restorable r, long position, long sequence, Instant recordedAt) {
            EventEnvelope e = r.event();
            return Tuple.tuple().addLong(position).addUUID(e.eventId()).addString(e.studyId()).addLong(sequence)
                    .addString(e.team()).addString(e.type())
                    .addInteger(r.json() != null ? versionOf(r.json(), e.version()) : e.version())
                    .addOffsetDateTime(utc(e.occurredAt()))
                    .addOffsetDateTime(utc(recordedAt)).addUUID(e.causationId()).addUUID(e.correlationId())
                    .addString(e.producer()).addString(r.json() != null ? r.json() : codec.encodeToString(e));
        }

        public Uni<Void> commit() {
            return tx.commit().eventually(connection::close);
        }

        public Uni<Void> rollback() {
            return tx.rollback().eventually(connection::close);
        }
    }

    /** A study's last stored event: its sequence and when it was recorded (null: the study has none). */
    private record Head(long sequence, Instant recordedAt) {
        static final Head NONE = new Head(0, null);
    }

    /**
     * The schema version the stored text was written at, which an event decoded (and upcast) from it no longer
     * says: the envelope's fields come in a fixed order, so its {@code version} is the first one in the text.
     */
    static int versionOf(String json, int fallback) {
        Matcher m = VERSION.matcher(json);
        return m.find() ? Integer.parseInt(m.group(1)) : fallback;
    }

    private static final Pattern VERSION = Pattern.compile("\"version\":([0-9]+)");

    /** Events stored already, by study and id (an imported copy holds the original's ids under its own study). */
    private static Set<String> known(Iterable<Row> rows) {
        Set<String> known = new HashSet<>();
        rows.forEach(row -> known.add(key(row.getString(0), row.getUUID(1))));
        return known;
    }

    private static String key(String studyId, UUID eventId) {
        return studyId + '/' + eventId;
    }

    private static Map<String, Head> heads(Iterable<Row> rows) {
        Map<String, Head> heads = new HashMap<>();
        rows.forEach(row -> heads.put(row.getString(0),
                new Head(row.getLong(1), row.getOffsetDateTime(2).toInstant())));
        return heads;
    }

    private static OffsetDateTime utc(Instant time) {
        return time.atOffset(ZoneOffset.UTC);
    }
}
