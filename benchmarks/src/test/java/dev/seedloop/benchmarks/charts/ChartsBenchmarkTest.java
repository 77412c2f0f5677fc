package dev.seedloop.benchmarks.charts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.seedloop.benchmarks.support.BenchmarkRun;

/**
 * The charts benchmark runs from main code end to end on a small study, in its own JVM as
 * {@code ./seedloop bench charts} runs it: the study generated, each run timed, the answer downsampled to the points
 * asked and its reply measured.
 */
class ChartsBenchmarkTest {

    @Test
    void measuresTheChartsOfASmallStudyAndItsReply() throws Exception {
        String output = BenchmarkRun.output(ChartsBenchmark.class, "256m",
                "--experiments", "300", "--points", "100", "--runs", "2");

        assertThat(output).contains("Charts benchmark: studies of [300] evaluated experiments, 100 points, 2 runs",
                "300 experiments: ", "  run 1: decode ", "  run 2: decode ",
                "  refresh with the builder kept, 400 new events: decode and fold ",
                "  reply with 100 points asked: 100 points (",
                "  reply with 5000 points asked: ", "(reply budget 655,360)");
        // One experiment in twelve fails: no value, no point.
        assertThat(output).containsPattern("reply with 5000 points asked: 2\\d\\d points \\(0 omitted\\),"
                + " \\d+ champions, 300 evaluations");
    }
}
