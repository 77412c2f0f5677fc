package dev.seedloop.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.events.Verdict;
import dev.seedloop.messaging.OutboundEvents;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** What an evaluation owes (its champion change) is sent even when sending it failed after the evaluation went out. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class EvaluatorFollowUpTest {

    @Inject
    EventCodec codec;

    @Inject
    OutboundEvents outbound;

    @Test
    void aChampionChangeWhoseSendFailedAfterItsEvaluationWentOutIsSentExactlyOnceOnRedelivery() {
        String study = SampleEvents.newStudyId();
        EventEnvelope created = studyCreated(study);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        FailsChampionChangeOnce seam = new FailsChampionChangeOnce(ClientProxy.unwrap(outbound), study);
        QuarkusMock.installMockForType(seam, OutboundEvents.class);

        EventEnvelope first = completed(created, "first", 0.50, 0.51, 0.49);
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(first));
        // Redelivered again later, as after a restart: it owes nothing more by then.
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(first));
        // After both on the partition: judged against whatever the first became.
        KafkaTopics.produce(Topics.EXPERIMENTS, study, codec.encode(completed(created, "worse", 0.70, 0.71, 0.69)));

        List<EventEnvelope> out = KafkaTopics.awaitRecords(Topics.EVALUATIONS, r -> study.equals(r.key())
                        && codec.decode(r.value()).payload() instanceof EvaluationCompleted e
                        && e.verdict() == Verdict.NOT_BETTER, 1, Duration.ofSeconds(60))
                .stream().map(r -> codec.decode(r.value())).toList();
        assertThat(seam.failed).as("the injected failure happened").isTrue();
        List<EventEnvelope> all = KafkaTopics.readAll(Topics.EVALUATIONS, r -> study.equals(r.key()))
                .stream().map(r -> codec.decode(r.value())).toList();
        UUID firstProposal = ((ExperimentCompleted) first.payload()).proposalId();
        assertThat(all.stream().filter(e -> e.payload() instanceof ChampionChanged c
                && c.proposalId().equals(firstProposal))).as("the champion change, exactly once").hasSize(1);
        assertThat(all.stream().filter(e -> e.payload() instanceof EvaluationCompleted e2
                && e2.proposalId().equals(firstProposal))).as("its evaluation, exactly once").hasSize(1);
        assertThat(((EvaluationCompleted) out.getFirst().payload()).reason()).as("judged against the new champion")
                .doesNotContain("first valid result");
    }

    private static EventEnvelope studyCreated(String study) {
        EventEnvelope sample = SampleEvents.studyCreated(study);
        StudyCreated spec = (StudyCreated) sample.payload();
        return new EventEnvelope(sample.eventId(), study, sample.team(), sample.occurredAt(), null,
                sample.correlationId(), sample.producer(), spec.withGovernance(PromotionPolicy.AUTO, spec.createdBy()));
    }

    private static EventEnvelope completed(EventEnvelope study, String name, double... losses) {
        UUID proposal = EventIds.derived(study.eventId(), "proposal:" + name);
        UUID experiment = EventIds.derived(proposal, "experiment");
        List<RepeatResult> repeats = new java.util.ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            repeats.add(new RepeatResult(i, Map.of("val_loss", losses[i]), 10, 0));
        }
        return new EventEnvelope(EventIds.derived(experiment, "outcome"), study.studyId(), study.team(),
                study.occurredAt(), proposal, study.correlationId(), "implementer-service",
                new ExperimentCompleted(experiment, proposal, repeats, new ResourceUsage(30, 30, 1000), ""));
    }

    /**
     * The publishing seam failing the study's first ChampionChanged once: whatever comes before it in the same
     * call is sent, then the call fails, as when the broker times out between two sends.
     */
    static final class FailsChampionChangeOnce extends OutboundEvents {

        private final OutboundEvents real;
        private final String study;
        final AtomicBoolean failed = new AtomicBoolean();

        FailsChampionChangeOnce(OutboundEvents real, String study) {
            this.real = real;
            this.study = study;
        }

        @Override
        public Uni<Void> publish(MutinyEmitter<byte[]> channel, List<EventEnvelope> events) {
            int at = championChange(events);
            if (at < 0 || !failed.compareAndSet(false, true)) {
                return real.publish(channel, events);
            }
            return real.publish(channel, events.subList(0, at)).chain(() -> Uni.createFrom().failure(timeout()));
        }

        @Override
        public Uni<Void> publishInOrder(MutinyEmitter<byte[]> channel, List<EventEnvelope> events,
                Consumer<EventEnvelope> sent) {
            int at = championChange(events);
            if (at < 0 || !failed.compareAndSet(false, true)) {
                return real.publishInOrder(channel, events, sent);
            }
            return real.publishInOrder(channel, events.subList(0, at), sent)
                    .chain(() -> Uni.createFrom().failure(timeout()));
        }

        private int championChange(List<EventEnvelope> events) {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).payload() instanceof ChampionChanged && study.equals(events.get(i).studyId())) {
                    return i;
                }
            }
            return -1;
        }

        private static RuntimeException timeout() {
            return new org.apache.kafka.common.errors.TimeoutException("expiring 1 record: broker unreachable (test)");
        }
    }
}
