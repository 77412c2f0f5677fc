package dev.seedloop.learner.store.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What a replay reads and writes: a study's head, its stored events between two sequences with the time
 * each was recorded, and snapshots of its folded state ({@code study_snapshot}, V3__study_snapshots.sql).
 *
 * <p>Through the reactive PostgreSQL client rather than Hibernate: rows go straight to the codec without
 * entities, and the replay benchmark runs this very class on a pool of its own. Each call takes a pooled
 * connection outside any transaction, so inside the recording transaction a replay reads what is committed,
 * which, under the append lock, is the whole store.
 */
@ApplicationScoped
public class StudyHistory {

    /** One stored event of a study: its sequence, when the store recorded it, and the envelope. */
    public record Recorded(long sequence, Instant recordedAt, EventEnvelope event) {
    }

    /** A snapshot as stored: the fold of events 1 .. {@code sequence}, the last recorded at {@code recordedAt}. */
    public record StoredSnapshot(long sequence, Instant recordedAt, byte[] state) {
    }

    private static final String HEAD = "select coalesce(max(study_sequence), 0) from event_store where study_id = $1";

    // Backwards on event_store_study_recorded: one index entry, however long the study.
    private static final String RECORDED_BY = "select study_sequence from event_store"
            + " where study_id = $1 and recorded_at <= $2 order by recorded_at desc, study_sequence desc limit 1";

    private static final String RECORDED_AT = "select recorded_at from event_store"
            + " where study_id = $1 and study_sequence = $2";

    private static final String EVENTS = "select study_sequence, recorded_at, envelope from event_store"
            + " where study_id = $1 and study_sequence > $2 and study_sequence <= $3 order by study_sequence limit $4";

    private static final String EVENTS_OF_TYPES = "select study_sequence, recorded_at, envelope from event_store"
            + " where study_id = $1 and study_sequence > $2 and study_sequence <= $3 and event_type = any($4)"
            + " order by study_sequence limit $5";

    private static final String LATEST_SNAPSHOT = "select study_sequence, recorded_at, state from study_snapshot"
            + " where study_id = $1 and study_sequence <= $2 and format_version = $3"
            + " order by study_sequence desc limit 1";

    // recorded_at comes from the event row, which must exist: a snapshot never gets ahead of the store.
    private static final String SAVE_SNAPSHOT = "insert into study_snapshot"
            + " (study_id, study_sequence, format_version, recorded_at, state)"
            + " select e.study_id, e.study_sequence, $3, e.recorded_at, $4 from event_store e"
            + " where e.study_id = $1 and e.study_sequence = $2 on conflict do nothing";

    private final Pool pool;
    private final EventCodec codec;

    @Inject
    public StudyHistory(Pool pool, EventCodec codec) {
        this.pool = pool;
        this.codec = codec;
    }

    /** The sequence of the study's last event; 0 when it has none. */
    public Uni<Long> head(String studyId) {
        return pool.preparedQuery(HEAD).execute(Tuple.of(studyId)).map(rows -> first(rows).getLong(0));
    }

    /** The sequence of the study's last event recorded at or before {@code time}; 0 when none was. */
    public Uni<Long> recordedBy(String studyId, Instant time) {
        return pool.preparedQuery(RECORDED_BY).execute(Tuple.of(studyId, utc(time)))
                .map(rows -> rows.size() == 0 ? 0L : first(rows).getLong(0));
    }

    /** When the store recorded the study's event {@code sequence}; null when there is none. */
    public Uni<Instant> recordedAt(String studyId, long sequence) {
        return pool.preparedQuery(RECORDED_AT).execute(Tuple.of(studyId, sequence))
                .map(rows -> rows.size() == 0 ? null : instant(first(rows).getOffsetDateTime(0)));
    }

    /**
     * Up to {@code limit} of the study's events with sequences in ({@code after}, {@code upTo}], in order.
     * Decoding a page takes up to a second (a StrategyUpdated carries hundreds of observations), which must not
     * hold up an event loop that appends and queries share: it runs on worker threads, and the page is handed
     * back on the caller's Vert.x context (a Hibernate Reactive session must stay on its own).
     */
    public Uni<List<Recorded>> events(String studyId, long after, long upTo, int limit) {
        return decoded(pool.preparedQuery(EVENTS).execute(Tuple.of(studyId, after, upTo, limit)));
    }

    /**
     * Like {@link #events(String, long, long, int)}, of the given logical types only: a read that needs no
     * StrategyUpdated skips decoding them, which is most of a long study's bytes.
     */
    public Uni<List<Recorded>> events(String studyId, long after, long upTo, int limit, List<String> types) {
        return decoded(pool.preparedQuery(EVENTS_OF_TYPES).execute(Tuple.of(studyId, after, upTo,
                types.toArray(String[]::new), limit)));
    }

    private Uni<List<Recorded>> decoded(Uni<RowSet<Row>> rowSet) {
        Context caller = Vertx.currentContext();
        Uni<List<Recorded>> decoded = rowSet
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(rows -> {
                    List<Row> page = new ArrayList<>(rows.size());
                    rows.forEach(page::add);
                    // Each event decodes on its own: the page is decoded on every core.
                    return page.parallelStream().map(row -> new Recorded(row.getLong(0),
                            instant(row.getOffsetDateTime(1)), codec.decode(row.getString(2)))).toList();
                });
        return caller == null ? decoded : decoded.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    /** The latest snapshot of {@code format} at or before {@code atOrBefore}; null when there is none. */
    public Uni<StoredSnapshot> latestSnapshot(String studyId, long atOrBefore, int format) {
        return pool.preparedQuery(LATEST_SNAPSHOT).execute(Tuple.of(studyId, atOrBefore, format))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row row = first(rows);
                    return new StoredSnapshot(row.getLong(0), instant(row.getOffsetDateTime(1)),
                            row.getBuffer(2).getBytes());
                });
    }

    /**
     * Stores a snapshot of the study after its event {@code sequence}; false when one of that format is
     * already there, or the event is not stored (committed) yet.
     */
    public Uni<Boolean> saveSnapshot(String studyId, long sequence, int format, byte[] state) {
        Tuple values = Tuple.tuple().addString(studyId).addLong(sequence).addInteger(format)
                .addBuffer(Buffer.buffer(state));
        return pool.preparedQuery(SAVE_SNAPSHOT).execute(values).map(rows -> rows.rowCount() == 1);
    }

    private static Row first(RowSet<Row> rows) {
        return rows.iterator().next();
    }

    private static OffsetDateTime utc(Instant time) {
        return time.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
