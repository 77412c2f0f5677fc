package dev.seedloop.implementer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventLimits;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.ValidationResult;
import dev.seedloop.implementer.application.MetricsReader;

/**
 * Whatever an experiment prints, its ExperimentCompleted fits: the metrics protocol's bounds, the log tails and
 * the default maximum of 100 repeats (also the gateway schema's) keep the largest possible one far below the
 * event size limit.
 */
class LargestOutcomeTest {

    @Test
    void theLargestOutcomeTheProtocolAllowsStaysFarBelowTheEventLimit() {
        Map<String, Double> metrics = largestMetrics();
        // Control characters are the worst case for a log tail: each byte becomes a six-byte JSON escape.
        String worstLog = Tails.lastBytes("\u0001".repeat(100_000), Tails.LOG_TAIL_BYTES);
        List<RepeatResult> repeats = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            repeats.add(new RepeatResult(Integer.MAX_VALUE - i, metrics, Long.MAX_VALUE, Integer.MIN_VALUE));
        }
        ExperimentCompleted largest = new ExperimentCompleted(UUID.randomUUID(), UUID.randomUUID(), repeats,
                new ResourceUsage(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE), worstLog,
                new ValidationResult(false, Tails.firstBytes("\u0001".repeat(10_000), Tails.DETAIL_BYTES), worstLog),
                -Double.MAX_VALUE);
        EventEnvelope event = new EventEnvelope(UUID.randomUUID(), UUID.randomUUID().toString(), "team-" + "a".repeat(60),
                Instant.parse("2026-11-23T12:00:00.123456789Z"), UUID.randomUUID(), UUID.randomUUID(),
                "implementer-service", largest);

        int bytes = new EventCodec().encode(event).length;

        assertThat(bytes).as("%d bytes", bytes).isLessThan(EventLimits.MAX_EVENT_BYTES * 5 / 8);
    }

    /** The most metrics with the longest names and the longest number text the protocol accepts. */
    private static Map<String, Double> largestMetrics() {
        StringBuilder line = new StringBuilder("{");
        for (int i = 0; i < MetricsProtocol.MAX_METRICS; i++) {
            String name = String.format("%02d", i) + "~".repeat(MetricsProtocol.MAX_NAME_LENGTH - 2);
            line.append(i == 0 ? "" : ", ").append('"').append(name).append("\": -1.2345678901234567E-300");
        }
        MetricsParse parsed = MetricsReader.read(line.append('}').toString(), null, null);
        assertThat(parsed).isInstanceOf(MetricsParse.Parsed.class);
        return ((MetricsParse.Parsed) parsed).metrics();
    }
}
