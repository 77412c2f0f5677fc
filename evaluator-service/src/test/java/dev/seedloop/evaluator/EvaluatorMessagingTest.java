package dev.seedloop.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.Topics;
import dev.seedloop.events.Verdict;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.events.SampleEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The evaluator on the real broker: a failed experiment in, an invalid evaluation out. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class EvaluatorMessagingTest {

    @Inject
    EventCodec codec;

    @Test
    void aFailedExperimentIsEvaluatedInvalidWithItsReason() {
        String study = SampleEvents.newStudyId();
        EventEnvelope failed = SampleEvents.experimentFailed(study);
        KafkaTopics.produce(Topics.EXPERIMENTS, study, new byte[] {1, 2, 3});
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(failed));
        // Redelivery must not make a second, different evaluation.
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(failed));

        var records = KafkaTopics.awaitRecords(Topics.EVALUATIONS, r -> study.equals(r.key()), 2,
                Duration.ofSeconds(30));

        EventEnvelope first = codec.decode(records.get(0).value());
        EventEnvelope second = codec.decode(records.get(1).value());
        // Same id and content: downstream deduplication by event id makes the redelivery a no-op.
        assertThat(second.eventId()).isEqualTo(first.eventId());
        assertThat(second.payload()).isEqualTo(first.payload());
        EvaluationCompleted evaluation = (EvaluationCompleted) first.payload();
        ExperimentFailed cause = (ExperimentFailed) failed.payload();
        assertThat(evaluation.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(evaluation.experimentId()).isEqualTo(cause.experimentId());
        assertThat(evaluation.reason()).contains(cause.reason().toString());
        assertThat(first.causationId()).isEqualTo(failed.eventId());

        var parked = KafkaTopics.awaitRecords(Topics.DEAD_LETTERS, r -> study.equals(r.key()), 1,
                Duration.ofSeconds(30));
        assertThat(parked.getFirst().value()).containsExactly(1, 2, 3);
        assertThat(new String(parked.getFirst().headers().lastHeader("dead-letter-consumer").value(),
                StandardCharsets.UTF_8)).isEqualTo("evaluator-service");
    }
}
