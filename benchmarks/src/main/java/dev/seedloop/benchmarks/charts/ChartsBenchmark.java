package dev.seedloop.benchmarks.charts;

import static dev.seedloop.benchmarks.support.Measure.mib;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.seedloop.benchmarks.replay.SyntheticStudy;
import dev.seedloop.benchmarks.support.Measure;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventPayload;
import dev.seedloop.learner.query.domain.charts.ChartsBuilder;
import dev.seedloop.learner.query.messaging.QueryResponder;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.Views;

/**
 * How long the learner takes to answer a study's charts (issue #16), and how large the answer is.
 *
 * <p>For each study size, one synthetic study ({@link SyntheticStudy}: the loop's events for that many evaluated
 * experiments, about five events each) is generated; the events the charts are made of ({@link ChartsBuilder#TYPES},
 * all but the StrategyUpdated, which the query never reads) are kept as the stored envelope JSON. Each run then does
 * what the query does after PostgreSQL hands over the rows: decodes every envelope with the real codec and folds it
 * into a {@link ChartsBuilder}, then builds the answer. Decoding, folding and building are timed apart; reading the
 * rows from PostgreSQL is not measured here (the replay benchmark measures the store's pages). Last, the answer's size
 * as the learner's reply, for the default and the largest number of points, plain and gzipped as the reply producer
 * sends it, and a refresh: the last 400 events new to a builder kept from the previous answer, as the learner keeps
 * the last studies' builders.
 *
 * <pre>./seedloop bench charts [--experiments 10000,100000] [--points 2000] [--runs 3] [--seed 7]</pre>
 */
public final class ChartsBenchmark {

    private static final String STUDY = "charts-benchmark-study";
    private static final Instant START = Instant.parse("2026-01-05T08:00:00Z");
    private static final int BUDGET = 655_360;
    /** New events at a refresh: about a hundred experiments' worth. */
    private static final int REFRESH = 400;

    private final EventCodec codec = new EventCodec();
    private final QueryCodec replies = new QueryCodec();
    private final int points;
    private final int runs;
    private final long seed;

    private ChartsBenchmark(int points, int runs, long seed) {
        this.points = points;
        this.runs = runs;
        this.seed = seed;
    }

    public static void main(String[] args) {
        int[] experiments = {10_000, 100_000};
        int points = Query.DEFAULT_CHART_POINTS;
        int runs = 3;
        long seed = 7;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--experiments" -> experiments = Arrays.stream(args[++i].split(",")).map(String::trim)
                            .mapToInt(Integer::parseInt).toArray();
                    case "--points" -> points = Integer.parseInt(args[++i]);
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage() + "\nusage: ./seedloop bench charts [--experiments 10000,100000]"
                    + " [--points 2000] [--runs 3] [--seed 7]");
            System.exit(2);
        }
        ChartsBenchmark benchmark = new ChartsBenchmark(points, runs, seed);
        System.out.printf(Locale.ROOT, "Charts benchmark: studies of %s evaluated experiments, %d points, %d runs,"
                + " seed %d; %d cores, load %s, max heap %s, Java %s%n", Arrays.toString(experiments), points, runs,
                seed, Runtime.getRuntime().availableProcessors(), Measure.loadAverage(),
                mib(Runtime.getRuntime().maxMemory()), Runtime.version());
        for (int size : experiments) {
            benchmark.measure(size);
        }
        System.exit(0);
    }

    private void measure(int experiments) {
        long started = System.nanoTime();
        Set<String> read = new HashSet<>(ChartsBuilder.TYPES);
        SyntheticStudy study = new SyntheticStudy(STUDY, seed, START);
        List<String> stored = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        long sequence = 0;
        long bytes = 0;
        int evaluations = 0;
        while (evaluations < experiments) {
            EventEnvelope event = study.next().envelope();
            sequence++;
            if (event.payload() instanceof EvaluationCompleted) {
                evaluations++;
            }
            if (read.contains(event.type())) {
                String json = codec.encodeToString(event);
                bytes += json.length();
                stored.add(json);
                sequences.add(sequence);
            }
        }
        System.out.printf(Locale.ROOT, "%n%,d experiments: %,d events in the study, %,d of them read by the charts"
                + " (%s of envelope JSON); generated in %s (not a charts figure)%n", experiments, sequence,
                stored.size(), mib(bytes), Measure.seconds(System.nanoTime() - started));
        Views.StudyChartsView view = null;
        for (int run = 1; run <= runs; run++) {
            long t0 = System.nanoTime();
            List<EventPayload> decoded = new ArrayList<>(stored.size());
            for (String json : stored) {
                decoded.add(codec.decode(json).payload());
            }
            long t1 = System.nanoTime();
            ChartsBuilder builder = new ChartsBuilder(STUDY);
            for (int i = 0; i < decoded.size(); i++) {
                builder.accept(decoded.get(i), sequences.get(i));
            }
            long t2 = System.nanoTime();
            view = builder.build(points);
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "  run %d: decode %s, fold %s (%,.0f events/s), build %s; answer %s"
                    + " (%,.0f events/s decoded and folded)%n", run, Measure.millis(t1 - t0), Measure.millis(t2 - t1),
                    perSecond(decoded.size(), t2 - t1), Measure.millis(t3 - t2), Measure.millis(t3 - t0),
                    perSecond(decoded.size(), t3 - t0));
            if (run == runs) {
                refresh(stored, sequences, decoded);
                reply(view, points);
                if (points != Query.MAX_CHART_POINTS) {
                    reply(builder.build(Query.MAX_CHART_POINTS), Query.MAX_CHART_POINTS);
                }
            }
        }
    }

    /**
     * A refresh with the builder kept from the last answer ({@code ChartsHeads}): the events of the last
     * {@link #REFRESH} stored ones are new, decoded and folded into a builder that holds all the others.
     */
    private void refresh(List<String> stored, List<Long> sequences, List<EventPayload> decoded) {
        int from = Math.max(0, stored.size() - REFRESH);
        ChartsBuilder builder = new ChartsBuilder(STUDY);
        for (int i = 0; i < from; i++) {
            builder.accept(decoded.get(i), sequences.get(i));
        }
        long t0 = System.nanoTime();
        for (int i = from; i < stored.size(); i++) {
            builder.accept(codec.decode(stored.get(i)).payload(), sequences.get(i));
        }
        long t1 = System.nanoTime();
        builder.build(points);
        long t2 = System.nanoTime();
        System.out.printf(Locale.ROOT, "  refresh with the builder kept, %d new events: decode and fold %s, build %s%n",
                stored.size() - from, Measure.millis(t1 - t0), Measure.millis(t2 - t1));
    }

    private void reply(Views.StudyChartsView view, int asked) {
        byte[] encoded = replies.encode(replies.ok(view));
        System.out.printf(Locale.ROOT, "  reply with %d points asked: %,d points (%,d omitted), %,d champions, %,d"
                + " evaluations; %,d bytes, %,d gzipped (reply budget %,d)%n", asked, view.points().size(),
                view.pointsOmitted(), view.champions().size(), view.evaluationsTotal(), encoded.length,
                QueryResponder.gzippedSize(encoded), BUDGET);
    }

    private static double perSecond(long count, long nanos) {
        return count / (nanos / 1e9);
    }
}
