package dev.seedloop.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.Topics;
import dev.seedloop.events.ValidationResult;
import dev.seedloop.events.Verdict;
import dev.seedloop.messaging.DeadLetters;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.events.SampleEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The evaluator on the real broker: experiment outcomes and approvers' answers in, evaluations out. */
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
        // Redelivered: judged once. The sentinel, on the same partition, is judged after it.
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(failed));
        ExperimentFailed sample = (ExperimentFailed) failed.payload();
        EventEnvelope sentinel = new EventEnvelope(UUID.randomUUID(), study, failed.team(), failed.occurredAt(),
                failed.causationId(), failed.correlationId(), failed.producer(), new ExperimentFailed(UUID.randomUUID(),
                UUID.randomUUID(), sample.reason(), sample.detail(), sample.usage(), sample.logTail()));
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(sentinel));

        var records = KafkaTopics.awaitRecords(Topics.EVALUATIONS, r -> study.equals(r.key()), 2,
                Duration.ofSeconds(30));

        EventEnvelope first = codec.decode(records.get(0).value());
        EvaluationCompleted evaluation = (EvaluationCompleted) first.payload();
        ExperimentFailed cause = (ExperimentFailed) failed.payload();
        assertThat(evaluation.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(evaluation.experimentId()).isEqualTo(cause.experimentId());
        assertThat(evaluation.reason()).contains(cause.reason().toString());
        assertThat(first.causationId()).isEqualTo(failed.eventId());

        var parked = KafkaTopics.awaitRecords(Topics.DEAD_LETTERS, r -> study.equals(r.key()), 1,
                Duration.ofSeconds(30));
        assertThat(parked.getFirst().value()).containsExactly(1, 2, 3);
        assertThat(KafkaTopics.readAll(Topics.EVALUATIONS, r -> study.equals(r.key())))
                .as("the redelivered outcome was not judged twice").hasSize(2);
        assertThat(new String(parked.getFirst().headers().lastHeader("dead-letter-consumer").value(),
                StandardCharsets.UTF_8)).isEqualTo("evaluator-service");
    }

    @Test
    void completedExperimentsAreJudgedAgainstTheChampionOfTheirStudy() {
        String study = SampleEvents.newStudyId();
        EventEnvelope created = studyCreated(study, PromotionPolicy.AUTO);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        EventEnvelope first = completed(created, "first", 0.50, 0.51, 0.49);
        EventEnvelope better = completed(created, "better", 0.30, 0.31, 0.29);
        EventEnvelope worse = completed(created, "worse", 0.70, 0.71, 0.69);
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(first));
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(better));
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(worse));
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(better)); // redelivered: judged once
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(completed(created, "sentinel", 0.9, 0.9, 0.9)));

        KafkaTopics.awaitRecords(Topics.EVALUATIONS, r -> study.equals(r.key()), 6, Duration.ofSeconds(30));
        List<EventEnvelope> out = KafkaTopics.readAll(Topics.EVALUATIONS, r -> study.equals(r.key()))
                .stream().map(r -> codec.decode(r.value())).toList();

        List<Verdict> verdicts = out.stream().filter(e -> e.payload() instanceof EvaluationCompleted)
                .map(e -> ((EvaluationCompleted) e.payload()).verdict()).toList();
        assertThat(verdicts).containsExactly(Verdict.NEW_CHAMPION, Verdict.NEW_CHAMPION, Verdict.NOT_BETTER,
                Verdict.NOT_BETTER);
        List<ChampionChanged> changes = out.stream().filter(e -> e.payload() instanceof ChampionChanged)
                .map(e -> (ChampionChanged) e.payload()).toList();
        assertThat(changes).hasSize(2);
        assertThat(changes.get(1).previousProposalId()).isEqualTo(changes.get(0).proposalId());
        assertThat(changes.get(1).value()).isCloseTo(0.30, org.assertj.core.data.Offset.offset(1e-9));
        EvaluationCompleted second = (EvaluationCompleted) out.stream()
                .filter(e -> e.payload() instanceof EvaluationCompleted ev && ev.verdict() == Verdict.NEW_CHAMPION)
                .skip(1).findFirst().orElseThrow().payload();
        assertThat(second.pValue()).isLessThan(0.05);
        assertThat(second.summary().n()).isEqualTo(3);
    }

    /**
     * A hostile experiment (issue #15): it printed a perfect metric (loss 0, far better than the champion) while the
     * study's validation failed. The implementer records that as a completed experiment with a failed validation;
     * judged here it is INVALID, names the validation's failure, and the champion stays. The sentinel after it, on
     * the same partition, proves no ChampionChanged followed.
     */
    @Test
    void aForgedPerfectMetricWithAFailedValidationIsInvalidAndTheChampionStays() {
        String study = SampleEvents.newStudyId();
        EventEnvelope created = studyCreated(study, PromotionPolicy.AUTO);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(completed(created, "honest", 0.50, 0.51, 0.49)));
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(completed(created, "forger",
                new ValidationResult(false, "validation exited with 1", "accuracy 0.41\n"),
                0.0, 0.0, 0.0)));
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(completed(created, "sentinel", 0.9, 0.9, 0.9)));

        List<EventEnvelope> out = evaluationsOf(study, 4);

        assertThat(out).extracting(EventEnvelope::type).containsExactly(EventTypes.EVALUATION_COMPLETED,
                EventTypes.CHAMPION_CHANGED, EventTypes.EVALUATION_COMPLETED, EventTypes.EVALUATION_COMPLETED);
        EvaluationCompleted forged = (EvaluationCompleted) out.get(2).payload();
        assertThat(forged.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(forged.validationPassed()).isFalse();
        assertThat(forged.reason()).contains("validation exited with 1");
        assertThat(((EvaluationCompleted) out.get(3).payload()).verdict()).as("judged against the honest champion")
                .isEqualTo(Verdict.NOT_BETTER);
    }

    @Test
    void aManualStudysCandidateBecomesChampionOnlyWhenApproved() {
        String study = SampleEvents.newStudyId();
        EventEnvelope created = studyCreated(study, PromotionPolicy.MANUAL);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        EventEnvelope first = completed(created, "first", 0.50, 0.51, 0.49);
        EventEnvelope better = completed(created, "better", 0.30, 0.31, 0.29);
        UUID firstProposal = ((ExperimentCompleted) first.payload()).proposalId();
        UUID betterProposal = ((ExperimentCompleted) better.payload()).proposalId();
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(first));
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(better));

        // Both win against no champion, so both wait; neither is promoted.
        List<EventEnvelope> requested = evaluationsOf(study, 4);
        assertThat(requested).extracting(EventEnvelope::type).containsExactly(EventTypes.EVALUATION_COMPLETED,
                EventTypes.PROMOTION_REQUESTED, EventTypes.EVALUATION_COMPLETED, EventTypes.PROMOTION_REQUESTED);
        assertThat(((PromotionRequested) requested.get(1).payload()).proposalId()).isEqualTo(firstProposal);
        assertThat(((PromotionRequested) requested.get(3).payload()).currentChampionId()).isNull();

        EventEnvelope approval = answer(created, new PromotionApproved(firstProposal, "alice", "looks right"));
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(approval));
        EventEnvelope promoted = evaluationsOf(study, 5).get(4);
        assertThat(promoted.causationId()).isEqualTo(approval.eventId());
        assertThat(promoted.correlationId()).isEqualTo(approval.correlationId());
        ChampionChanged firstChange = (ChampionChanged) promoted.payload();
        assertThat(firstChange.proposalId()).isEqualTo(firstProposal);
        assertThat(firstChange.previousProposalId()).isNull();
        assertThat(firstChange.evaluationId()).isEqualTo(((PromotionRequested) requested.get(1).payload()).evaluationId());

        // Redelivered, and for a proposal nobody asked about: neither changes anything nor stops the consumer.
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(approval));
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(answer(created,
                new PromotionApproved(UUID.randomUUID(), "alice", "wrong id"))));
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(completed(created, "worse", 0.70, 0.71, 0.69)));
        assertThat(((EvaluationCompleted) evaluationsOf(study, 6).get(5).payload()).verdict())
                .as("judged against the approved champion").isEqualTo(Verdict.NOT_BETTER);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(answer(created,
                new PromotionApproved(betterProposal, "bob", "also fine"))));

        ChampionChanged secondChange = (ChampionChanged) evaluationsOf(study, 7).get(6).payload();
        assertThat(secondChange.proposalId()).isEqualTo(betterProposal);
        assertThat(secondChange.previousProposalId()).isEqualTo(firstProposal);
        assertThat(KafkaTopics.readAll(Topics.EVALUATIONS, r -> study.equals(r.key())))
                .as("the redelivered and the unknown approval published nothing").hasSize(7);
        assertThat(KafkaTopics.readAll(Topics.DEAD_LETTERS, r -> study.equals(r.key())
                && "evaluator-service".equals(new String(r.headers().lastHeader(DeadLetters.CONSUMER).value(),
                        StandardCharsets.UTF_8)))).isEmpty();
    }

    /** The sample study (MANUAL) under the given promotion policy, as the gateway would create it in {@code study}. */
    private static EventEnvelope studyCreated(String study, PromotionPolicy policy) {
        EventEnvelope sample = SampleEvents.studyCreated(study);
        StudyCreated spec = (StudyCreated) sample.payload();
        return new EventEnvelope(sample.eventId(), study, sample.team(), sample.occurredAt(), null,
                sample.correlationId(), sample.producer(), spec.withGovernance(policy, spec.createdBy()));
    }

    /** An approver's answer, as the gateway publishes it: triggered from outside, so its own chain. */
    private static EventEnvelope answer(EventEnvelope study, EventPayload payload) {
        UUID id = UUID.randomUUID();
        return new EventEnvelope(id, study.studyId(), study.team(), study.occurredAt(), null, id, "gateway", payload);
    }

    /** The study's first {@code count} events on the evaluations topic, in order. */
    private List<EventEnvelope> evaluationsOf(String study, int count) {
        return KafkaTopics.awaitRecords(Topics.EVALUATIONS, r -> study.equals(r.key()), count, Duration.ofSeconds(30))
                .stream().map(r -> codec.decode(r.value())).toList();
    }

    private static EventEnvelope completed(EventEnvelope study, String name, double... losses) {
        return completed(study, name, null, losses);
    }

    /** @param validation the implementer's verdict on the study's validation, null for a study without one */
    private static EventEnvelope completed(EventEnvelope study, String name,
                                           ValidationResult validation, double... losses) {
        UUID proposal = EventIds.derived(study.eventId(), "proposal:" + name);
        UUID experiment = EventIds.derived(proposal, "experiment");
        List<RepeatResult> repeats = new java.util.ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            repeats.add(new RepeatResult(i, Map.of("val_loss", losses[i]), 10, 0));
        }
        return new EventEnvelope(EventIds.derived(experiment, "outcome"), study.studyId(), study.team(),
                study.occurredAt(), proposal, study.correlationId(), "implementer-service",
                new ExperimentCompleted(experiment, proposal, repeats, new ResourceUsage(30, 30, 1000), "", validation,
                        null));
    }
}
