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
}
