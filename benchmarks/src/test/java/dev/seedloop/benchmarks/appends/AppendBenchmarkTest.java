package dev.seedloop.benchmarks.appends;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The append benchmark runs from main code end to end on a few events: the learner's recorder on its Hibernate
 * Reactive mapping against a real embedded PostgreSQL, both batch sizes measured, the learner's decisions stored with
 * the events and the store holding exactly what was appended. Its own JVM, as {@code ./seedloop bench appends} runs
 * it: the benchmark ends with {@code System.exit}.
 */
class AppendBenchmarkTest {

    @Test
    void appendsInBatchesThroughTheRecorderAndTheStoreHoldsExactlyWhatWasAppended() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process run = new ProcessBuilder(List.of(java, "-Xmx256m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", System.getProperty("java.class.path"), AppendBenchmark.class.getName(),
                "--events", "60", "--warmup", "0", "--studies", "2", "--batches", "1,16"))
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).contains(
                "batches of [1, 16], 60 incoming events each, 2 studies at once",
                "Hibernate statement batch 200;",
                "batch    1:      60 events in     60 batches,",
                "batch   16:      60 events in      4 batches,",
                "Resident set of this JVM",
                "sequences with a gap: 0");
        // The learner decides about what it stores: its decisions are appended with the events.
        assertThat(output).doesNotContain("(0 decisions)");
    }
}
