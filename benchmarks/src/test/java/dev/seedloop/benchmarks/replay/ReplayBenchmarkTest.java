package dev.seedloop.benchmarks.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.seedloop.benchmarks.support.BenchmarkRun;

/**
 * The replay benchmark runs from main code end to end on a small study: an embedded PostgreSQL migrated with the
 * learner's migrations, the study written with snapshots, every replay timed, and the two folds to the head equal.
 * Its own JVM, as {@code ./seedloop bench replay} runs it: the benchmark ends with {@code System.exit}.
 */
class ReplayBenchmarkTest {

    @Test
    void replaysASmallStudyWithAndWithoutSnapshotsToTheSameState() throws Exception {
        String output = BenchmarkRun.output(ReplayBenchmark.class, "512m",
                "--events", "2000", "--every", "500", "--page", "100", "--runs", "1");

        assertThat(output).contains(
                "Replay benchmark: 2,000 events, a snapshot every 500, pages of 100",
                "(4 snapshots, the last",
                "replay to head 2000 with snapshots, run 1",
                "replay to 1999 (worst case: snapshot + 499 events), run 1",
                "replay to head 2000 from the first event (no snapshots)",
                "State at the head with and without snapshots identical: true");
    }
}
