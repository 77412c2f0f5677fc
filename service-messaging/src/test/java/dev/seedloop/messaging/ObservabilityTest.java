package dev.seedloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * What ADR 0028 promises of every service's channels, on the real broker through the three ways services hand
 * records to {@link InboundChannels}: the trace context a record carries in its {@code traceparent} header goes on
 * with what its handler publishes (one trace along the loop), every log line written while a record is handled
 * carries its study id, and {@code /q/metrics} shows our meters and the Kafka consumer lag. Same resources as
 * {@link ChannelFailuresTest}, so both run on one application start.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(ProbeTopicsResource.class)
class ObservabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final EventCodec CODEC = new EventCodec();

    @Inject
    ProbeConsumers probe;

    private final List<ExtLogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext) {
                ext.copyMdc(); // the MDC of the thread (or Vert.x context) that logged, taken now
                logged.add(ext);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureProbeLogs() {
        java.util.logging.Logger.getLogger(ProbeConsumers.class.getName()).addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        java.util.logging.Logger.getLogger(ProbeConsumers.class.getName()).removeHandler(capture);
    }

    @ParameterizedTest
    @ValueSource(strings = { "probe-in", "probe-blocking-in", "probe-batch-in" })
    void whatAHandlerPublishesCarriesTheTraceOfTheRecordItHandled(String channel) {
        String study = SampleEvents.newStudyId();
        probe.script(study, ProbeConsumers.Script.ECHO);
        String traceId = randomHex(32);
        send(channel, study, Map.of("traceparent", "00-" + traceId + "-" + randomHex(16) + "-01"));

        ConsumerRecord<String, byte[]> echoed = KafkaTopics.awaitRecords(ProbeTopicsResource.PROBE_ECHO,
                r -> study.equals(r.key()), 1, WAIT).getFirst();
        String traceparent = header(echoed, "traceparent");
        assertThat(traceparent).as("the echo's trace context").isNotNull();
        assertThat(traceparent.split("-")[1]).as("the trace id of the record handled").isEqualTo(traceId);
    }

    @ParameterizedTest
    @ValueSource(strings = { "probe-in", "probe-blocking-in", "probe-batch-in" })
    void everyLogLineWrittenWhileARecordIsHandledCarriesItsStudyId(String channel) {
        String study = SampleEvents.newStudyId();
        EventEnvelope event = send(channel, study, Map.of());

        Awaitility.await().atMost(WAIT).until(() -> probe.processed(study) == 1);
        List<ExtLogRecord> lines = logged.stream()
                .filter(line -> line.getFormattedMessage().contains(event.eventId().toString())).toList();
        assertThat(lines).isNotEmpty()
                .allSatisfy(line -> assertThat(line.getMdc(StudyLogContext.STUDY_ID)).isEqualTo(study));
        if (!channel.equals("probe-batch-in")) {
            // A single record's handling is in its trace: the line can be joined with the other services' lines.
            assertThat(lines).allSatisfy(line -> assertThat(line.getMdc("traceId")).hasSize(32));
        }
        // As the JSON console format writes it (QUARKUS_LOG_CONSOLE_JSON_ENABLED=true): a field of the line's mdc.
        assertThat(new org.jboss.logmanager.formatters.JsonFormatter().format(lines.getFirst()))
                .contains("\"mdc\":{").contains("\"studyId\":\"" + study + "\"");
    }

    @Test
    void prometheusShowsOurMetersAndTheConsumersLag() {
        String study = SampleEvents.newStudyId();
        probe.script(study, ProbeConsumers.Script.ECHO);
        send("probe-in", study, Map.of());
        KafkaTopics.awaitRecords(ProbeTopicsResource.PROBE_ECHO, r -> study.equals(r.key()), 1, WAIT);

        Awaitility.await().atMost(WAIT).untilAsserted(() -> RestAssured.get("/q/metrics").then().statusCode(200)
                .body(containsString("seedloop_events_published_total{type=\"seedloop.study.created\"}"))
                // The consumer lag, one series per channel (its client id).
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max{client_id=\"kafka-consumer-probe-in\"")));
    }

    private static EventEnvelope send(String channel, String study, Map<String, String> headers) {
        EventEnvelope event = SampleEvents.studyCreated(study);
        String topic = switch (channel) {
            case "probe-in" -> ProbeTopicsResource.PROBE;
            case "probe-blocking-in" -> ProbeTopicsResource.PROBE_BLOCKING;
            case "probe-batch-in" -> ProbeTopicsResource.PROBE_BATCH;
            default -> throw new IllegalArgumentException(channel);
        };
        KafkaTopics.produce(topic, study, CODEC.encode(event), headers);
        return event;
    }

    private static String randomHex(int digits) {
        StringBuilder hex = new StringBuilder();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        while (hex.length() < digits) {
            hex.append(Character.forDigit(random.nextInt(16), 16));
        }
        return hex.toString();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
