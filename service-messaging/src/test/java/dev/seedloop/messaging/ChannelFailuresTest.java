package dev.seedloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * {@link InboundChannels} on the real broker: a handler failing transiently is retried until it succeeds (readiness
 * DOWN naming the channel meanwhile), one failing deterministically on a record gets that record dead-lettered with
 * its reason, and either way the channel goes on with the next record.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(ProbeTopicsResource.class)
class ChannelFailuresTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final EventCodec CODEC = new EventCodec();

    @Inject
    ProbeConsumers probe;

    @ParameterizedTest
    @ValueSource(strings = { "probe-in", "probe-blocking-in" })
    void aTransientFailureIsRetriedUntilItPassesAndTheRecordIsProcessedOnceWithReadinessDownMeanwhile(String channel) {
        String study = SampleEvents.newStudyId();
        probe.script(study, ProbeConsumers.Script.OUTAGE);
        send(channel, study);

        Awaitility.await().atMost(WAIT).untilAsserted(() -> RestAssured.get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'seedloop-channels' }.status", is("DOWN"))
                .body("checks.find { it.name == 'seedloop-channels' }.data.'" + channel + "'",
                        containsString("broker unavailable while handling " + study)));
        // Readiness named it after the first failure; waiting for a second attempt proves it is retried.
        Awaitility.await().atMost(WAIT).until(() -> probe.attempts(study) >= 2);
        assertThat(probe.processed(study)).isZero();

        probe.script(study, ProbeConsumers.Script.HEALTHY);
        Awaitility.await().atMost(WAIT).until(() -> probe.processed(study) == 1);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> RestAssured.get("/q/health/ready").then()
                .body("checks.find { it.name == 'seedloop-channels' }.status", is("UP")));

        String next = SampleEvents.newStudyId();
        send(channel, next);
        Awaitility.await().atMost(WAIT).until(() -> probe.processed(next) == 1);
        assertThat(probe.processed(study)).as("processed once").isEqualTo(1);
        assertThat(KafkaTopics.readAll(Topics.DEAD_LETTERS, r -> study.equals(r.key()))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "probe-in", "probe-blocking-in" })
    void aRecordThatAlwaysFailsIsDeadLetteredWithItsReasonAfterAFewAttemptsAndTheNextIsProcessed(String channel) {
        String study = SampleEvents.newStudyId();
        probe.script(study, ProbeConsumers.Script.BUG);
        EventEnvelope bad = send(channel, study);
        String next = SampleEvents.newStudyId();
        send(channel, next);

        ConsumerRecord<String, byte[]> parked = awaitDeadLetter(bad);
        assertThat(header(parked, DeadLetters.REASON)).isEqualTo("bug on " + study);
        assertThat(header(parked, DeadLetters.CAUSE)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(parked, DeadLetters.CHANNEL)).isEqualTo(channel);
        assertThat(header(parked, DeadLetters.ATTEMPTS)).isEqualTo("3");
        assertThat(header(parked, DeadLetters.CONSUMER)).isEqualTo("messaging-probe");
        Awaitility.await().atMost(WAIT).until(() -> probe.processed(next) == 1);
        assertThat(probe.attempts(study)).as("the first attempt and max-retries=2").isEqualTo(3);
        Awaitility.await().atMost(WAIT).untilAsserted(() -> RestAssured.get("/q/health/ready").then()
                .body("checks.find { it.name == 'seedloop-channels' }.status", is("UP")));
    }

    @Test
    void aTransientFailureThatOutlastsTheChannelsBudgetIsDeadLetteredWithItsReason() {
        String study = SampleEvents.newStudyId();
        probe.script(study, ProbeConsumers.Script.OUTAGE); // never over; probe-blocking-in allows 3 s
        EventEnvelope stuck = send("probe-blocking-in", study);
        String next = SampleEvents.newStudyId();
        send("probe-blocking-in", next);

        ConsumerRecord<String, byte[]> parked = awaitDeadLetter(stuck);
        assertThat(header(parked, DeadLetters.REASON)).isEqualTo("broker unavailable while handling " + study);
        assertThat(Integer.parseInt(header(parked, DeadLetters.ATTEMPTS))).isGreaterThan(3);
        Awaitility.await().atMost(WAIT).until(() -> probe.processed(next) == 1);
    }

    @Test
    void aBatchWithARecordThatAlwaysFailsIsHandledOneByOneAndOnlyThatRecordIsDeadLettered() {
        String before = SampleEvents.newStudyId();
        String bad = SampleEvents.newStudyId();
        String after = SampleEvents.newStudyId();
        probe.script(bad, ProbeConsumers.Script.BUG);
        send("probe-batch-in", before);
        EventEnvelope parkedEvent = send("probe-batch-in", bad);
        send("probe-batch-in", after);

        ConsumerRecord<String, byte[]> parked = awaitDeadLetter(parkedEvent);
        assertThat(header(parked, DeadLetters.REASON)).isEqualTo("bug on " + bad);
        assertThat(header(parked, DeadLetters.CHANNEL)).isEqualTo("probe-batch-in");
        Awaitility.await().atMost(WAIT).until(() -> probe.processed(before) >= 1 && probe.processed(after) >= 1);
        assertThat(probe.processed(bad)).isZero();
        assertThat(KafkaTopics.readAll(Topics.DEAD_LETTERS, r -> before.equals(r.key()) || after.equals(r.key())))
                .isEmpty();
    }

    private static EventEnvelope send(String channel, String study) {
        EventEnvelope event = SampleEvents.studyCreated(study);
        KafkaTopics.produce(topic(channel), study, CODEC.encode(event));
        return event;
    }

    private static String topic(String channel) {
        return switch (channel) {
            case "probe-in" -> ProbeTopicsResource.PROBE;
            case "probe-blocking-in" -> ProbeTopicsResource.PROBE_BLOCKING;
            case "probe-batch-in" -> ProbeTopicsResource.PROBE_BATCH;
            default -> throw new IllegalArgumentException(channel);
        };
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(EventEnvelope event) {
        byte[] value = CODEC.encode(event);
        return KafkaTopics.awaitRecords(Topics.DEAD_LETTERS, r -> event.studyId().equals(r.key())
                && Arrays.equals(value, r.value()), 1, WAIT).getFirst();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
