package dev.seedloop.benchmarks.appends;

import static dev.seedloop.benchmarks.support.Measure.deleteTree;
import static dev.seedloop.benchmarks.support.Measure.mib;
import static dev.seedloop.benchmarks.support.Measure.millis;
import static dev.seedloop.benchmarks.support.Measure.seconds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.seedloop.benchmarks.replay.SyntheticStudy;
import dev.seedloop.benchmarks.support.BenchConfig;
import dev.seedloop.benchmarks.support.HeapPeak;
import dev.seedloop.benchmarks.support.LearnerDatabase;
import dev.seedloop.benchmarks.support.Measure;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Services;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.application.StudyReplay;
import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.domain.StudyDecider;
import dev.seedloop.learner.projection.application.SnapshotWriter;
import dev.seedloop.learner.projection.persistence.ReadModels;
import dev.seedloop.learner.store.persistence.EventStore;
import dev.seedloop.learner.store.persistence.Reservations;
import dev.seedloop.learner.store.persistence.StudyHistory;
import dev.seedloop.messaging.SeedloopMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;

/**
 * Appends per second through the learner's real append path: {@link EventRecorder#record}, what its events-in
 * consumer calls with each batch Kafka hands it (dedupe, fold, decide, insert, read models, in one transaction under
 * the append lock), on the learner's own classes and Hibernate Reactive mapping ({@link LearnerSessions}), against an
 * embedded PostgreSQL migrated with the learner's migrations ({@link LearnerDatabase}).
 *
 * <p>The events: {@code --studies} synthetic studies ({@link SyntheticStudy}) running at once, their events
 * interleaved at random as topics and partitions interleave them; the learner's own events are left out of that
 * stream because the recorder decides them itself, and what it decides comes back in the next batch, as its
 * decisions come back from Kafka (stored already: deduplicated). Batches are recorded one after the other, as the
 * single consumer does. For each batch size, fresh studies (their StudyCreated first), after a warm-up that is not
 * counted. Kafka itself and publishing are not measured.
 *
 * <p>Printed per batch size: incoming events/s and rows stored/s (events and decisions), p50/p99/max batch latency,
 * peak heap; then this JVM's resident set. Last, the store is checked: as many rows as were appended, and every
 * study numbered 1..n without a gap.
 *
 * <pre>./seedloop bench appends [--batches 1,16,128] [--events 4000] [--studies 8] [--warmup 2000] [--seed 7]
 *     [--statement-batch N]</pre>
 * {@code --statement-batch} overrides the learner's Hibernate statement batch size (0: Hibernate's default, one
 * insert statement per row) to show what it buys.
 */
public final class AppendBenchmark {

    private static final String DATABASE = "append_bench";
    private static final Instant START = Instant.parse("2026-01-05T08:00:00Z");

    private final int[] batchSizes;
    private final int events;
    private final int studies;
    private final int warmup;
    private final long seed;
    private final int statementBatch;
    private final HeapPeak heap = new HeapPeak();

    private AppendBenchmark(int[] batchSizes, int events, int studies, int warmup, long seed, int statementBatch) {
        this.batchSizes = batchSizes;
        this.events = events;
        this.studies = studies;
        this.warmup = warmup;
        this.seed = seed;
        this.statementBatch = statementBatch;
    }

    public static void main(String[] args) throws Exception {
        int[] batches = {1, 16, 128};
        int events = 4000;
        int studies = 8;
        int warmup = 2000;
        long seed = 7;
        int statementBatch = LearnerSessions.learnerBatchSize();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .mapToInt(Integer::parseInt).toArray();
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--studies" -> studies = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--statement-batch" -> statementBatch = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: AppendBenchmark [--batches 1,16,128] [--events N] [--studies N]"
                            + " [--warmup N] [--seed N] [--statement-batch N]");
                    System.exit(2);
                }
            }
        }
        if (events < 1 || studies < 1 || warmup < 0 || Arrays.stream(batches).anyMatch(b -> b < 1)) {
            System.err.println("--events, --studies and every batch size must be >= 1, --warmup >= 0");
            System.exit(2);
        }
        new AppendBenchmark(batches, events, studies, warmup, seed, statementBatch).run();
        // Vert.x, Hibernate and the PostgreSQL process are closed; nothing else should keep the JVM.
        System.exit(0);
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "Append benchmark: EventRecorder.record (the events-in consumer's path),"
                        + " batches of %s, %,d incoming events each, %d studies at once, warm-up %,d events;"
                        + " Hibernate statement batch %d; %d cores (load average %s), max heap %s, Java %s%n",
                Arrays.toString(batchSizes), events, studies, warmup, statementBatch,
                Runtime.getRuntime().availableProcessors(), Measure.loadAverage(), mib(Runtime.getRuntime().maxMemory()),
                Runtime.version());
        Path dir = Files.createTempDirectory("seedloop-append-bench-");
        Vertx vertx = Vertx.vertx();
        try (LearnerDatabase database = LearnerDatabase.start(dir.resolve("postgres"), DATABASE, false)) {
            Mutiny.SessionFactory sessions = LearnerSessions.open(database, vertx, statementBatch);
            io.vertx.mutiny.sqlclient.Pool pool = database.applicationPool(vertx, 4);
            EventCodec codec = new EventCodec();
            LearnerConfig config = BenchConfig.learner(5000, 500);
            StudyHistory history = new StudyHistory(pool, codec);
            SnapshotWriter snapshots = new SnapshotWriter(history, config);
            StudyDecider decider = BenchConfig.decider();
            EventRecorder recorder = new EventRecorder(sessions, new EventStore(sessions, codec, config),
                    new ReadModels(sessions), new Reservations(), Clock.systemUTC(), decider,
                    new StudyReplay(history, snapshots, decider, config), snapshots,
                    new SeedloopMeters(new SimpleMeterRegistry()));

            long stored = 0;
            if (warmup > 0) {
                stored += measure(recorder, new Workload("warm-up", studies, seed - 1), 16, warmup).rows();
                System.out.printf(Locale.ROOT, "warm-up done (%,d rows)%n", stored);
            }
            List<String> lines = new ArrayList<>();
            for (int size : batchSizes) {
                Result result = measure(recorder, new Workload("batch-" + size, studies, seed + size), size, events);
                stored += result.rows();
                lines.add(result.line(size));
                System.out.println(lines.getLast());
            }
            long[] rss = Measure.residentSet();
            System.out.printf(Locale.ROOT, "Resident set of this JVM (PostgreSQL apart): %s now, %s at its peak%n",
                    mib(rss[0]), mib(rss[1]));
            check(database, stored);
            sessions.close();
            pool.close().await().indefinitely();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            deleteTree(dir);
        }
    }

    private record Result(int incoming, int batches, long rows, long decisions, long nanos, long[] latencies,
            long peakHeap) {

        String line(int size) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            double secs = nanos / 1e9;
            return String.format(Locale.ROOT, "batch %4d: %,7d events in %,6d batches, %,7d rows stored (%,d"
                            + " decisions) in %s: %,8.0f events/s, %,8.0f rows/s; batch latency p50 %s, p99 %s,"
                            + " max %s; peak heap %s", size, incoming, batches, rows, decisions, seconds(nanos),
                    incoming / secs, rows / secs, millis(percentile(sorted, 0.50)), millis(percentile(sorted, 0.99)),
                    millis(sorted[sorted.length - 1]), mib(peakHeap));
        }
    }

    /** Records {@code count} incoming events in batches of {@code size}, one batch after the other. */
    private Result measure(EventRecorder recorder, Workload workload, int size, int count) {
        System.gc();
        heap.reset();
        long[] latencies = new long[(count + size - 1) / size + count];
        int batches = 0;
        int incoming = 0;
        long rows = 0;
        long decisions = 0;
        long start = System.nanoTime();
        while (incoming < count) {
            List<EventEnvelope> batch = workload.next(Math.min(size, count - incoming));
            long began = System.nanoTime();
            EventRecorder.Recorded recorded = recorder.record(batch).await().indefinitely();
            latencies[batches++] = System.nanoTime() - began;
            incoming += batch.size();
            rows += recorded.appended() + recorded.decisions().size();
            decisions += recorded.decisions().size();
            workload.echo(recorded.decisions());
        }
        long nanos = System.nanoTime() - start;
        return new Result(incoming, batches, rows, decisions, nanos, Arrays.copyOf(latencies, batches), heap.peak());
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Every row the runs appended is stored, and each study's sequence runs 1..n. */
    private static void check(LearnerDatabase database, long appended) throws Exception {
        try (Connection jdbc = database.connect(); Statement s = jdbc.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(distinct study_id),"
                     + " count(*) filter (where study_sequence > (select count(*) from event_store o"
                     + " where o.study_id = e.study_id)) from event_store e")) {
            rs.next();
            long rows = rs.getLong(1);
            long gaps = rs.getLong(3);
            System.out.printf(Locale.ROOT, "Store: %,d rows in %d studies (appended %,d); sequences with a gap: %d%n",
                    rows, rs.getLong(2), appended, gaps);
            if (rows != appended || gaps != 0) {
                throw new IllegalStateException("the store does not hold exactly what was appended, without gaps");
            }
        }
    }

    /**
     * What the consumer is handed: the studies' events interleaved at random (the learner's own left out), and the
     * learner's decisions coming back in the following batch.
     */
    private static final class Workload {
        private final List<SyntheticStudy> running = new ArrayList<>();
        private final SplittableRandom rng;
        private final ArrayDeque<EventEnvelope> echoes = new ArrayDeque<>();

        Workload(String name, int studies, long seed) {
            rng = new SplittableRandom(seed);
            for (int i = 0; i < studies; i++) {
                running.add(new SyntheticStudy("append-bench-" + name + "-" + i, seed * 1000 + i,
                        START.plusSeconds(i)));
            }
        }

        List<EventEnvelope> next(int size) {
            List<EventEnvelope> batch = new ArrayList<>(size);
            while (batch.size() < size) {
                if (!echoes.isEmpty()) {
                    batch.add(echoes.poll());
                    continue;
                }
                EventEnvelope event = running.get(rng.nextInt(running.size())).next().envelope();
                if (!Services.LEARNER.equals(event.producer())) {
                    batch.add(event);
                }
            }
            return batch;
        }

        void echo(List<EventEnvelope> decisions) {
            echoes.addAll(decisions);
        }
    }
}
