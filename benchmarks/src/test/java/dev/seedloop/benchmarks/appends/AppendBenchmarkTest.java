package dev.seedloop.benchmarks.appends;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.seedloop.benchmarks.support.BenchmarkRun;

/**
 * The append benchmark runs from main code end to end on 24 events per batch size: the learner's recorder on its
 * Hibernate Reactive mapping against a real embedded PostgreSQL, both batch sizes measured, the learner's decisions
 * stored with the events and the store holding exactly what was appended. Its own JVM, as
 * {@code ./seedloop bench appends} runs it: the benchmark ends with {@code System.exit}.
 */
class AppendBenchmarkTest {

    @Test
    void appendsInBatchesThroughTheRecorderAndTheStoreHoldsExactlyWhatWasAppended() throws Exception {
        String output = BenchmarkRun.output(AppendBenchmark.class, "256m",
                "--events", "24", "--warmup", "0", "--studies", "2", "--batches", "1,16");

        assertThat(output).contains(
                "batches of [1, 16], 24 incoming events each, 2 studies at once",
                "Hibernate statement batch 200;",
                "batch    1:      24 events in     24 batches,",
                "batch   16:      24 events in      2 batches,",
                "Resident set of this JVM",
                "sequences with a gap: 0");
        // The learner decides about what it stores: its decisions are appended with the events.
        assertThat(output).doesNotContain("(0 decisions)");
    }
}
