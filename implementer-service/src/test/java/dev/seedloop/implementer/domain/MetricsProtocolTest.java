package dev.seedloop.implementer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class MetricsProtocolTest {

    private static String problem(MetricsParse parse) {
        assertThat(parse).isInstanceOf(MetricsParse.Invalid.class);
        return ((MetricsParse.Invalid) parse).problem();
    }

    @Test
    void lastJsonLineOfStdoutWinsAndKeepsOrder() {
        MetricsParse parse = MetricsProtocol.parse("""
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
        MetricsParse parse = MetricsProtocol.parse("no json here\n", "{\"loss\": -2}\n", "loss");
        assertThat(parse).isEqualTo(new MetricsParse.Parsed(Map.of("loss", -2.0), "metrics.json"));
    }

    @Test
    void noMetricsAnywhere() {
        assertThat(problem(MetricsProtocol.parse("hello\n", null, "loss"))).startsWith("no metrics");
        assertThat(problem(MetricsProtocol.parse("{}\n", null, null))).startsWith("no metrics");
    }

    @Test
    void rejectsNonNumericValues() {
        assertThat(problem(MetricsProtocol.parse("{\"loss\": \"low\"}", null, null)))
                .contains("'loss'").contains("not a number");
        assertThat(problem(MetricsProtocol.parse("{\"loss\": null}", null, null))).contains("not a number");
        assertThat(problem(MetricsProtocol.parse("{\"loss\": [1]}", null, null))).contains("not a number");
        assertThat(problem(MetricsProtocol.parse("{\"valid\": \"true\"}", null, null))).contains("not a number");
        assertThat(problem(MetricsProtocol.parse("{\"loss\": {\"a\": 1}}", null, null))).contains("not a number");
        assertThat(problem(MetricsProtocol.parse("{\"loss\": \"NaN\"}", null, null))).contains("not a number");
    }

    @Test
    void rejectsNonFiniteValues() {
        assertThat(problem(MetricsProtocol.parse("{\"loss\": NaN}", null, null))).contains("not finite");
        assertThat(problem(MetricsProtocol.parse("{\"loss\": -Infinity}", null, null))).contains("not finite");
        assertThat(problem(MetricsProtocol.parse("{\"loss\": 1e999}", null, null))).contains("not finite");
        assertThat(problem(MetricsProtocol.parse("{\"loss\": 1" + "0".repeat(400) + "}", null, null)))
                .contains("not finite");
    }

    @Test
    void malformedMetricsLineIsAnErrorNotSkipped() {
        assertThat(problem(MetricsProtocol.parse("{\"loss\": 1,}", "{\"loss\": 1}", null))).startsWith("malformed");
        assertThat(problem(MetricsProtocol.parse("{\"a\": 1, \"a\": 2}", null, null))).startsWith("malformed");
    }

    @Test
    void objectiveMustBePresent() {
        assertThat(problem(MetricsProtocol.parse("{\"runtime\": 1}", null, "excess_bins")))
                .contains("objective metric 'excess_bins' missing");
    }

    @Test
    void booleansCountAsOneAndZero() {
        MetricsParse parse = MetricsProtocol.parse("{\"valid\": true, \"loss\": 0.5, \"diverged\": false}\n", null, "loss");
        assertThat(parse).isEqualTo(new MetricsParse.Parsed(Map.of("valid", 1.0, "loss", 0.5, "diverged", 0.0), "stdout"));
        assertThat(MetricsProtocol.parse("no line\n", "{\"valid\": true}", "valid"))
                .isEqualTo(new MetricsParse.Parsed(Map.of("valid", 1.0), "metrics.json"));
    }

    @Test
    void boundsHowManyMetricsALineCarries() {
        assertThat(MetricsProtocol.parse(metricsLine(32, 8), null, null)).isInstanceOf(MetricsParse.Parsed.class);
        assertThat(problem(MetricsProtocol.parse(metricsLine(33, 8), null, null)))
                .contains("33 metrics").contains("at most 32");
        assertThat(problem(MetricsProtocol.parse(metricsLine(100_000, 8), null, null))).contains("at most 32");
    }

    @Test
    void boundsMetricNames() {
        assertThat(MetricsProtocol.parse(metricsLine(1, 48), null, null)).isInstanceOf(MetricsParse.Parsed.class);
        String tooLong = problem(MetricsProtocol.parse(metricsLine(1, 49), null, null));
        assertThat(tooLong).contains("49 characters").contains("at most 48");
        assertThat(problem(MetricsProtocol.parse(metricsLine(1, 1_000_000), null, null)))
                .as("the problem quotes the name abbreviated, not whole").hasSizeLessThan(300);
        assertThat(problem(MetricsProtocol.parse("{\"\": 1}", null, null))).contains("empty");
        assertThat(problem(MetricsProtocol.parse("{\"a\\u0000b\": 1}", null, null))).contains("printable ASCII");
        assertThat(problem(MetricsProtocol.parse("{\"caf\u00e9\": 1}", null, null))).contains("printable ASCII");
        assertThat(problem(MetricsProtocol.parse("{\"say \\\"hi\\\"\": 1}", null, null))).contains("printable ASCII");
        assertThat(MetricsProtocol.parse("{\"val/loss@top-1 (mean)\": 1}", null, null))
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
