package dev.seedloop.learner.query.domain.postmortem;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import dev.seedloop.queries.PostmortemView;

/**
 * How long items waited for one stage: an item is enqueued when the stage could start on it and served
 * when the stage's event about it arrives. Keeps one timestamp per waiting item and one number per served
 * one, so its memory grows with the study's experiments, never with its log text.
 *
 * @param <K> what identifies an item (a proposal, an experiment, an evaluation event)
 */
public final class StageClock<K> {

    private final String stage;
    private final String measured;
    private final Map<K, Instant> waiting = new HashMap<>();
    private long[] samples = new long[16];
    private int count;

    public StageClock(String stage, String measured) {
        this.stage = stage;
        this.measured = measured;
    }

    /** The first enqueue of an item counts: a redelivered cause does not restart its wait. */
    public void enqueue(K item, Instant at) {
        waiting.putIfAbsent(item, at);
    }

    /** Served: its wait is measured. An item never enqueued (its cause not stored) is ignored. */
    public void serve(K item, Instant at) {
        Instant since = waiting.remove(item);
        if (since == null) {
            return;
        }
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        // Services stamp occurredAt with their own clocks, which may disagree by a little: no negative waits.
        samples[count++] = Math.max(0, Duration.between(since, at).toMillis());
    }

    /** Dropped without being served (e.g. a proposal rejected before it ran): it no longer waits. */
    public void drop(K item) {
        waiting.remove(item);
    }

    public PostmortemView.StageQueue view() {
        if (count == 0) {
            return new PostmortemView.StageQueue(stage, measured, 0, null, null, null, null, 0, waiting.size());
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        long total = 0;
        for (long sample : sorted) {
            total += sample;
        }
        return new PostmortemView.StageQueue(stage, measured, count, total / count, rank(sorted, 0.50),
                rank(sorted, 0.95), sorted[count - 1], total, waiting.size());
    }

    /** Nearest-rank percentile: always a wait that really happened. */
    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
