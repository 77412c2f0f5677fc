package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.implementer.domain.MetricsParse;

class MetricsReaderTest {

    private static String problem(MetricsParse parse) {
        assertThat(parse).isInstanceOf(MetricsParse.Invalid.class);
        return ((MetricsParse.Invalid) parse).problem();
    }

    @Test
    void lastJsonLineOfStdoutWinsAndKeepsOrder() {
        MetricsParse parse = MetricsReader.read("""
                starting
                {"excess_bins": 99}
                progress 50%
                {"runtime": 1.0, "excess_bins": 3.2}
                done
                """, "{\"excess_bins\": 7}", "excess_bins");
        assertThat(parse).isEqualTo(new MetricsParse.Parsed(Map.of("runtime", 1.0, "excess_bins", 3.2), "stdout"));
        assertThat(((MetricsParse.Parsed) parse).metrics().keySet()).containsExactly("runtime", "excess_bins");
    }

    @Test
    void fallsBackToMetricsFile() {
        MetricsParse parse = MetricsReader.read("no json here\n", "{\"loss\": -2}\n", "loss");
        assertThat(parse).isEqualTo(new MetricsParse.Parsed(Map.of("loss", -2.0), "metrics.json"));
    }

    @Test
    void noMetricsAnywhere() {
        assertThat(problem(MetricsReader.read("hello\n", null, "loss"))).startsWith("no metrics");
        assertThat(problem(MetricsReader.read("{}\n", null, null))).startsWith("no metrics");
    }

    @Test
    void rejectsNonNumericValues() {
        assertThat(problem(MetricsReader.read("{\"loss\": \"low\"}", null, null)))
                .contains("'loss'").contains("not a number");
        assertThat(problem(MetricsReader.read("{\"loss\": null}", null, null))).contains("not a number");
        assertThat(problem(MetricsReader.read("{\"loss\": [1]}", null, null))).contains("not a number");
        assertThat(problem(MetricsReader.read("{\"valid\": \"true\"}", null, null))).contains("not a number");
        assertThat(problem(MetricsReader.read("{\"loss\": {\"a\": 1}}", null, null))).contains("not a number");
        assertThat(problem(MetricsReader.read("{\"loss\": \"NaN\"}", null, null))).contains("not a number");
    }

    @Test
    void rejectsNonFiniteValues() {
        assertThat(problem(MetricsReader.read("{\"loss\": NaN}", null, null))).contains("not finite");
        assertThat(problem(MetricsReader.read("{\"loss\": -Infinity}", null, null))).contains("not finite");
        assertThat(problem(MetricsReader.read("{\"loss\": 1e999}", null, null))).contains("not finite");
        assertThat(problem(MetricsReader.read("{\"loss\": 1" + "0".repeat(400) + "}", null, null)))
                .contains("not finite");
    }

    @Test
    void malformedMetricsLineIsAnErrorNotSkipped() {
        assertThat(problem(MetricsReader.read("{\"loss\": 1,}", "{\"loss\": 1}", null))).startsWith("malformed");
        assertThat(problem(MetricsReader.read("{\"a\": 1, \"a\": 2}", null, null))).startsWith("malformed");
    }

    @Test
    void objectiveMustBePresent() {
        assertThat(problem(MetricsReader.read("{\"runtime\": 1}", null, "excess_bins")))
                .contains("objective metric 'excess_bins' missing");
    }

    @Test
    void booleansCountAsOneAndZero() {
        MetricsParse parse = MetricsReader.read("{\"valid\": true, \"loss\": 0.5, \"diverged\": false}\n", null, "loss");
        assertThat(parse).isEqualTo(new MetricsParse.Parsed(Map.of("valid", 1.0, "loss", 0.5, "diverged", 0.0), "stdout"));
        assertThat(MetricsReader.read("no line\n", "{\"valid\": true}", "valid"))
                .isEqualTo(new MetricsParse.Parsed(Map.of("valid", 1.0), "metrics.json"));
    }

    @Test
    void boundsHowManyMetricsALineCarries() {
        assertThat(MetricsReader.read(metricsLine(32, 8), null, null)).isInstanceOf(MetricsParse.Parsed.class);
        assertThat(problem(MetricsReader.read(metricsLine(33, 8), null, null)))
                .contains("33 metrics").contains("at most 32");
        assertThat(problem(MetricsReader.read(metricsLine(100_000, 8), null, null))).contains("at most 32");
    }

    @Test
    void boundsMetricNames() {
        assertThat(MetricsReader.read(metricsLine(1, 48), null, null)).isInstanceOf(MetricsParse.Parsed.class);
        String tooLong = problem(MetricsReader.read(metricsLine(1, 49), null, null));
        assertThat(tooLong).contains("49 characters").contains("at most 48");
        assertThat(problem(MetricsReader.read(metricsLine(1, 1_000_000), null, null)))
                .as("the problem quotes the name abbreviated, not whole").hasSizeLessThan(300);
        assertThat(problem(MetricsReader.read("{\"\": 1}", null, null))).contains("empty");
        assertThat(problem(MetricsReader.read("{\"a\\u0000b\": 1}", null, null))).contains("printable ASCII");
        assertThat(problem(MetricsReader.read("{\"caf\u00e9\": 1}", null, null))).contains("printable ASCII");
        assertThat(problem(MetricsReader.read("{\"say \\\"hi\\\"\": 1}", null, null))).contains("printable ASCII");
        assertThat(MetricsReader.read("{\"val/loss@top-1 (mean)\": 1}", null, null))
                .isInstanceOf(MetricsParse.Parsed.class);
    }

    /** A metrics line of {@code count} metrics whose names are {@code nameLength} characters long. */
    private static String metricsLine(int count, int nameLength) {
        StringBuilder line = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            String index = Integer.toString(i);
            line.append(i == 0 ? "" : ",").append('"').append("m".repeat(Math.max(0, nameLength - index.length())))
                    .append(index).append("\":").append(i);
        }
        return line.append('}').toString();
    }
}
