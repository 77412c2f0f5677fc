package dev.seedloop.benchmarks.replay;

import static dev.seedloop.benchmarks.support.Measure.deleteTree;
import static dev.seedloop.benchmarks.support.Measure.mib;
import static dev.seedloop.benchmarks.support.Measure.seconds;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import dev.seedloop.benchmarks.support.BenchConfig;
import dev.seedloop.benchmarks.support.HeapPeak;
import dev.seedloop.benchmarks.support.LearnerDatabase;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.learner.application.StudyReplay;
import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.domain.StudyDecider;
import dev.seedloop.learner.domain.LearnerFold;
import dev.seedloop.learner.projection.application.SnapshotWriter;
import dev.seedloop.learner.projection.application.StateJson;
import dev.seedloop.learner.store.persistence.StudyHistory;
import io.vertx.core.Vertx;

/**
 * How long the learner takes to fold a long study from the store, with and without snapshots.
 *
 * <p>Starts an embedded PostgreSQL, migrates it with the learner's own migrations, and writes one synthetic
 * study ({@link SyntheticStudy}, default 1 000 000 events) straight into {@code event_store} with the real
 * codec (COPY, one block of {@code --every} events at a time), writing after each block the snapshot the
 * learner would write there. Then it times the learner's own replay code ({@link StudyReplay} on
 * {@link StudyHistory}, on a pool of this JVM): to the head with snapshots, the worst case (a point just before
 * the next snapshot), state as of a sequence and a time in the middle, and to the head from the first event;
 * and checks that the two folds to the head are identical. Writing is timed separately and is not a replay
 * figure. Heap in use is sampled every 5 ms; each phase prints its peak.
 *
 * <p>{@code --data DIR} keeps PostgreSQL's data in {@code DIR} instead of a temporary directory, and a later
 * run with the same {@code --data}, {@code --events}, {@code --every} and {@code --seed} measures again
 * without writing the study again.
 *
 * <pre>./seedloop bench replay [--events 1000000] [--every 5000] [--page 500] [--seed 7] [--runs 3] [--data DIR]</pre>
 */
public final class ReplayBenchmark {

    private static final StudyDecider DECIDER = BenchConfig.decider();


    private static final String STUDY = "replay-benchmark-study";
    private static final String DATABASE = "replay_bench";
    private static final String COPY = "copy event_store (global_position, event_id, study_id, study_sequence, team,"
            + " event_type, schema_version, occurred_at, recorded_at, causation_id, correlation_id, producer, envelope)"
            + " from stdin";

    private final long events;
    private final int every;
    private final int pageSize;
    private final long seed;
    private final int runs;
    private final Path data;
    private final HeapPeak heap = new HeapPeak();

    private ReplayBenchmark(long events, int every, int pageSize, long seed, int runs, Path data) {
        this.events = events;
        this.every = every;
        this.pageSize = pageSize;
        this.seed = seed;
        this.runs = runs;
        this.data = data;
    }

    public static void main(String[] args) throws Exception {
        long events = 1_000_000;
        int every = 5_000;
        int page = 500;
        long seed = 7;
        int runs = 3;
        Path data = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--every" -> every = Integer.parseInt(args[++i]);
                case "--page" -> page = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: ReplayBenchmark [--events N] [--every N] [--page N] [--seed N] [--runs N]"
                            + " [--data DIR]");
                    System.exit(2);
                }
            }
        }
        if (every < 1 || events < every) {
            System.err.println("--every must be >= 1 and at most --events");
            System.exit(2);
        }
        new ReplayBenchmark(events, every, page, seed, runs, data).run();
        // Vert.x and the PostgreSQL process are closed; nothing else should keep the JVM.
        System.exit(0);
    }

    private void run() throws Exception {
        Path dir = data == null ? Files.createTempDirectory("seedloop-replay-bench-") : data;
        System.out.printf(Locale.ROOT, "Replay benchmark: %,d events, a snapshot every %,d, pages of %d; %d cores,"
                        + " max heap %s, Java %s%n", events, every, pageSize,
                Runtime.getRuntime().availableProcessors(), mib(Runtime.getRuntime().maxMemory()),
                Runtime.version());
        Vertx vertx = Vertx.vertx();
        String written = "events " + events + ", every " + every + ", seed " + seed;
        Path marker = dir.resolve("written");
        boolean reuse = Files.exists(marker) && Files.readString(marker).equals(written);
        if (!reuse) {
            Files.deleteIfExists(marker);
        }
        try (LearnerDatabase database = LearnerDatabase.start(dir.resolve("postgres"), DATABASE, reuse)) {
            io.vertx.mutiny.sqlclient.Pool pool = database.pool(vertx, 4);
            EventCodec codec = new EventCodec();
            StudyHistory history = new StudyHistory(pool, codec);
            LearnerConfig config = BenchConfig.learner(every, pageSize);
            SnapshotWriter snapshots = new SnapshotWriter(history, config);
            StudyReplay replay = new StudyReplay(history, snapshots, DECIDER, config);

            if (reuse) {
                System.out.println("Study already written in " + dir + " (" + written + "): measuring only");
            } else {
                write(database, codec, snapshots);
                if (data != null) {
                    Files.writeString(marker, written);
                }
            }
            measure(history, replay, database);
            pool.close().await().indefinitely();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            if (data == null) {
                deleteTree(dir);
            }
        }
    }

    /** Writes the study block by block, each block followed by the snapshot the learner would take there. */
    private void write(LearnerDatabase database, EventCodec codec, SnapshotWriter snapshots) throws Exception {
        SyntheticStudy study = new SyntheticStudy(STUDY, seed, Instant.parse("2026-01-05T08:00:00Z"));
        LearnerFold fold = DECIDER.fold();
        long copyNanos = 0;
        long snapshotNanos = 0;
        long bytes = 0;
        heap.reset();
        try (Connection jdbc = database.connect()) {
            try (Statement s = jdbc.createStatement()) {
                // Losing the benchmark's data on a crash is fine; waiting for each commit's flush is not useful.
                s.execute("set synchronous_commit = off");
            }
            StringBuilder rows = new StringBuilder(1 << 20);
            long progressStep = Math.max(every, events / 10 / every * every);
            long sequence = 0;
            while (sequence < events) {
                long blockStart = System.nanoTime();
                CopyIn copy = ((PGConnection) jdbc.unwrap(PGConnection.class)).getCopyAPI().copyIn(COPY);
                long blockEnd = Math.min(events, sequence + every);
                while (sequence < blockEnd) {
                    SyntheticStudy.Event next = study.next();
                    EventEnvelope e = next.envelope();
                    sequence++;
                    fold.apply(e);
                    row(rows, sequence, e, next.recordedAt(), codec.encodeToString(e));
                    if (rows.length() > (1 << 20) || sequence == blockEnd) {
                        byte[] chunk = rows.toString().getBytes(StandardCharsets.UTF_8);
                        bytes += chunk.length;
                        copy.writeToCopy(chunk, 0, chunk.length);
                        rows.setLength(0);
                    }
                }
                copy.endCopy();
                copyNanos += System.nanoTime() - blockStart;
                if (snapshots.due(sequence)) {
                    long snapshotStart = System.nanoTime();
                    snapshots.write(STUDY, sequence, fold.study(), fold.strategy()).await().indefinitely();
                    snapshotNanos += System.nanoTime() - snapshotStart;
                }
                if (sequence % progressStep == 0) {
                    System.out.printf(Locale.ROOT, "  written %,d events%n", sequence);
                }
            }
            try (Statement s = jdbc.createStatement()) {
                s.execute("analyze event_store");
                s.execute("analyze study_snapshot");
            }
        }
        System.out.printf(Locale.ROOT, "Writing (not a replay figure): %,d events (%s of envelope text) generated,"
                        + " encoded and copied in %s; %,d snapshots encoded and stored in %s; peak heap %s%n",
                events, mib(bytes), seconds(copyNanos), events / every, seconds(snapshotNanos), mib(heap.peak()));
    }

    private void measure(StudyHistory history, StudyReplay replay, LearnerDatabase database) throws Exception {
        try (Connection jdbc = database.connect(); Statement s = jdbc.createStatement()) {
            System.out.printf(Locale.ROOT, "Store: event_store %s, study_snapshot %s (%d snapshots, the last %s)%n",
                    mib(single(s, "select pg_total_relation_size('event_store')")),
                    mib(single(s, "select pg_total_relation_size('study_snapshot')")),
                    single(s, "select count(*) from study_snapshot"),
                    mib(single(s, "select octet_length(state) from study_snapshot order by study_sequence desc"
                            + " limit 1")));
        }
        long head = history.head(STUDY).await().indefinitely();
        long worst = head - head % every - 1 < 1 ? head : head - head % every - 1;
        long middle = head / 2 + every / 2;
        Instant middleTime = history.recordedAt(STUDY, middle).await().indefinitely();

        StudyReplay.Replayed atHead = null;
        for (int i = 1; i <= runs; i++) {
            atHead = timed("replay to head " + head + " with snapshots, run " + i, () -> replay.head(STUDY)
                    .await().indefinitely());
        }
        // A head just before the next snapshot point: every - 1 events to fold after loading the latest one.
        for (int i = 1; i <= runs; i++) {
            timed("replay to " + worst + " (worst case: snapshot + " + (every - 1) + " events), run " + i,
                    () -> replay.atSequence(STUDY, worst).await().indefinitely());
        }
        timed("state at sequence " + middle, () -> replay.atSequence(STUDY, middle).await().indefinitely());
        timed("state at time " + middleTime, () -> replay.atTime(STUDY, middleTime).await().indefinitely());
        StudyReplay.Replayed scratch = timed("replay to head " + head + " from the first event (no snapshots)",
                () -> replay.fromFirstEvent(STUDY, head).await().indefinitely());

        String withSnapshots = StateJson.write(atHead.state().study(), atHead.state().strategy());
        String withoutSnapshots = StateJson.write(scratch.state().study(), scratch.state().strategy());
        System.out.printf(Locale.ROOT, "State at the head with and without snapshots identical: %s (StateJson %s;"
                        + " %,d proposals, %,d evaluations)%n", withSnapshots.equals(withoutSnapshots),
                mib(withSnapshots.length()), atHead.state().study().proposals(),
                atHead.state().study().evaluations());
        System.gc();
        System.out.printf(Locale.ROOT, "Heap in use after a full GC, holding the folded head state twice: %s%n",
                mib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
        if (!withSnapshots.equals(withoutSnapshots)) {
            throw new IllegalStateException("replay with snapshots differs from replay without");
        }
    }

    private <T extends StudyReplay.Replayed> T timed(String what, Callable<T> work) throws Exception {
        System.gc();
        heap.reset();
        long start = System.nanoTime();
        T result = work.call();
        long nanos = System.nanoTime() - start;
        System.out.printf(Locale.ROOT, "%-72s %8s  (from snapshot %,d, %,d events folded; peak heap %s)%n", what,
                seconds(nanos), result.snapshotSequence(), result.sequence() - result.snapshotSequence(),
                mib(heap.peak()));
        return result;
    }

    /** One COPY text-format row; the envelope's backslashes and control characters escaped. */
    private static void row(StringBuilder out, long sequence, EventEnvelope e, Instant recordedAt, String json) {
        out.append(sequence).append('\t').append(e.eventId()).append('\t').append(e.studyId()).append('\t')
                .append(sequence).append('\t').append(e.team()).append('\t').append(e.type()).append('\t')
                .append(e.version()).append('\t').append(e.occurredAt()).append('\t').append(recordedAt).append('\t')
                .append(e.causationId() == null ? "\\N" : e.causationId().toString()).append('\t')
                .append(e.correlationId()).append('\t').append(e.producer()).append('\t');
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        out.append('\n');
    }

    private static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
