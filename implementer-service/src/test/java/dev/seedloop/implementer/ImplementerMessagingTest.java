package dev.seedloop.implementer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.events.SampleEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The implementer on the real broker parks an unreadable record without stopping. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(SandboxReachableDataDir.class)
class ImplementerMessagingTest {

    @Inject
    EventCodec codec;

    @Test
    void anUnreadableProposalIsParkedAndTheNextOneIsStillRun() {
        String study = SampleEvents.newStudyId();
        String other = SampleEvents.newStudyId();
        EventEnvelope readable = SampleEvents.proposals(other, 1).getFirst();
        // Its study is known, so the implementer settles it (the sample's workspace does not exist here: a failure).
        KafkaTopics.produce(Topics.STUDIES, other, codec.encode(SampleEvents.studyCreated(other)));
        KafkaTopics.produce(Topics.PROPOSALS, study, "{\"type\":\"seedloop.nope\"}".getBytes(StandardCharsets.UTF_8));
        // Run on the experiments' own worker pool, the proposal's outcome still carries on its trace (ADR 0028).
        String traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
        KafkaTopics.produce(Topics.PROPOSALS, other, codec.encode(readable),
                java.util.Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));
        // The wrong key for its study is refused too: a record keyed elsewhere would break per-study order.
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(SampleEvents.proposals(other, 1).getFirst()));

        var parked = KafkaTopics.awaitRecords(Topics.DEAD_LETTERS, r -> study.equals(r.key()), 2,
                Duration.ofSeconds(30));

        assertThat(parked).extracting(r -> new String(r.headers().lastHeader("dead-letter-reason").value(),
                StandardCharsets.UTF_8))
                .anySatisfy(reason -> assertThat(reason).contains("seedloop.nope"))
                .anySatisfy(reason -> assertThat(reason).contains("differs from the event's study id"));
        UUID proposalId = ((ProposalCreated) readable.payload()).proposalId();
        var outcome = KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> other.equals(r.key())
                && codec.decode(r.value()).payload() instanceof ExperimentFailed failed
                && failed.proposalId().equals(proposalId), 1, Duration.ofSeconds(60)).getFirst();
        assertThat(header(outcome, "traceparent")).as("the outcome's trace context").startsWith("00-" + traceId + "-");
    }

    /**
     * Before ADR 0014 the directory's 30 s wait for the study threw out of the handler and the channel stopped, so
     * no later proposal of any study ran. Now the unknown study's proposal is dead-lettered by the channel, which
     * goes on with the next one.
     */
    @Test
    void aProposalOfAStudyNobodyKnowsIsDeadLetteredAndTheNextStudyStillRuns() {
        String unknown = SampleEvents.newStudyId();
        String known = SampleEvents.newStudyId();
        EventEnvelope orphan = SampleEvents.proposals(unknown, 1).getFirst();
        EventEnvelope next = SampleEvents.proposals(known, 1).getFirst();
        KafkaTopics.produce(Topics.PROPOSALS, unknown, codec.encode(orphan));
        KafkaTopics.produce(Topics.STUDIES, known, codec.encode(SampleEvents.studyCreated(known)));
        KafkaTopics.produce(Topics.PROPOSALS, known, codec.encode(next));

        var parked = KafkaTopics.awaitRecords(Topics.DEAD_LETTERS, r -> unknown.equals(r.key()), 1,
                Duration.ofSeconds(60)).getFirst();
        assertThat(header(parked, "dead-letter-channel")).isEqualTo("proposals-in");
        assertThat(header(parked, "dead-letter-attempts")).isEqualTo("3");
        assertThat(header(parked, "dead-letter-reason")).contains(unknown);
        UUID proposalId = ((ProposalCreated) next.payload()).proposalId();
        KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> known.equals(r.key())
                && codec.decode(r.value()).payload() instanceof ExperimentFailed failed
                && failed.proposalId().equals(proposalId), 1, Duration.ofSeconds(60));
    }

    private static String header(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
