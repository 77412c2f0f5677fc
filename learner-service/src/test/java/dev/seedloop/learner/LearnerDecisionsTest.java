package dev.seedloop.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Budget;
import dev.seedloop.events.ContentHash;
import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.StrategyNames;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.projection.application.StateJson;
import dev.seedloop.messaging.SeedloopMeters;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** The learner's decisions on the real broker, and its live state against a replay of the store. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LearnerDecisionsTest {

    @Inject
    MeterRegistry meters;

    @Inject
    EventCodec codec;

    @Inject
    EventRecorder recorder;

    @Test
    void evaluationsBringRequestsForFreeSlotsThenTheStudyCompletesOnBudget() throws Throwable {
        String study = SampleEvents.newStudyId();
        EventEnvelope sample = SampleEvents.studyCreated(study);
        StudyCreated spec = (StudyCreated) sample.payload();
        // Created now, not at the sample's fixed date: the learner ends a study whose wall time (a day) has passed.
        EventEnvelope created = new EventEnvelope(sample.eventId(), study, sample.team(), java.time.Instant.now(), null,
                sample.correlationId(), sample.producer(), new StudyCreated(spec.name(), spec.objective(),
                spec.searchSpace(), new Budget(3, 86_400, 2), spec.strategy(), spec.seed(), spec.specSha256()));
        // In the trace of the request that created the study, which the learner's decisions carry on (ADR 0028).
        String traceId = "0af7651916cd43dd8448eb211c80319c";
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created),
                Map.of("traceparent", "00-" + traceId + "-b7ad6b7169203331-01"));

        // The learner asks for the first batch itself (ADR 0021).
        var firstRecord = KafkaTopics.awaitRecords(Topics.STRATEGY, r -> study.equals(r.key()), 1,
                Duration.ofSeconds(30)).getFirst();
        assertThat(firstRecord.headers().lastHeader("traceparent")).as("the request's trace context").isNotNull();
        assertThat(new String(firstRecord.headers().lastHeader("traceparent").value(),
                java.nio.charset.StandardCharsets.UTF_8)).startsWith("00-" + traceId + "-");
        assertThat(meters.find(SeedloopMeters.STORE_APPENDED).tag("source", "live").counter())
                .as("events appended to the store, counted").isNotNull()
                .satisfies(appended -> assertThat(appended.count()).isPositive());
        List<EventEnvelope> firstRequest = requests(study, 1);
        StrategyUpdated first = (StrategyUpdated) firstRequest.getFirst().payload();
        assertThat(firstRequest.getFirst().causationId()).isEqualTo(created.eventId());
        assertThat(first.nextOrdinal()).isZero();
        assertThat(first.proposalsRequested()).isEqualTo(2);
        assertThat(first.observations()).isEmpty();

        EventEnvelope p0 = proposal(firstRequest.getFirst(), 0);
        EventEnvelope p1 = proposal(firstRequest.getFirst(), 1);
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(p0));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(p1));
        KafkaTopics.produce(Topics.EVALUATIONS, study, codec.encode(evaluation(created, p0, 0.5)));

        // Ordinal 0 resolved: ordinal 2 is due, with ordinal 0's result (once the learner has read both the proposal and
        // its evaluation, which travel on different topics).
        StrategyUpdated second = request(study, 2);
        assertThat(second.nextOrdinal()).isEqualTo(2);
        assertThat(second.proposalsRequested()).isEqualTo(1);
        assertThat(second.observations()).singleElement().satisfies(o -> assertThat(o.value()).isEqualTo(0.5));

        EventEnvelope p2 = proposal(firstRequest.getFirst(), 2);
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(p2));
        KafkaTopics.produce(Topics.EVALUATIONS, study, codec.encode(evaluation(created, p1, 0.4)));
        KafkaTopics.produce(Topics.EVALUATIONS, study, codec.encode(evaluation(created, p2, 0.3)));

        var completed = KafkaTopics.awaitRecords(Topics.STUDIES,
                r -> study.equals(r.key()) && codec.decode(r.value()).payload() instanceof StudyCompleted, 1,
                Duration.ofSeconds(30));
        StudyCompleted end = (StudyCompleted) codec.decode(completed.getFirst().value()).payload();
        assertThat(end.reason()).isEqualTo("budget-exhausted");
        assertThat(end.experimentsRun()).isEqualTo(3);
        assertThat(requests(study, 3)).extracting(e -> (StrategyUpdated) e.payload())
                .filteredOn(u -> u.proposalsRequested() > 0)
                .extracting(StrategyUpdated::nextOrdinal, StrategyUpdated::proposalsRequested)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 2), org.assertj.core.groups.Tuple.tuple(2, 1));

        // Live state (cached, built event by event) equals a fresh fold of what the store holds.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var live = VertxContextSupport.subscribeAndAwait(() -> recorder.state(study));
            var replayed = VertxContextSupport.subscribeAndAwait(() -> recorder.replay(study));
            assertThat(live.study().eventsApplied()).isGreaterThanOrEqualTo(9);
            assertThat(StateJson.write(replayed.study(), replayed.strategy()))
                    .isEqualTo(StateJson.write(live.study(), live.strategy()));
        });
    }

    @Test
    void modelCallsOnTheProposalsTopicAreStoredAndTheCallThatReachesTheCapEndsTheStudy() throws Throwable {
        String study = SampleEvents.newStudyId();
        EventEnvelope sample = SampleEvents.studyCreated(study);
        StudyCreated spec = (StudyCreated) sample.payload();
        EventEnvelope created = new EventEnvelope(sample.eventId(), study, sample.team(), java.time.Instant.now(), null,
                sample.correlationId(), sample.producer(), new StudyCreated(spec.name(), spec.objective(),
                spec.searchSpace(), new Budget(10, 86_400, 1).withModel(new ModelBudget(2L, null, null)),
                StrategyNames.LLM, spec.seed(), spec.specSha256(), null, null, null, List.of(), Map.of()));
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        EventEnvelope firstRequest = requests(study, 1).getFirst();

        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(call(firstRequest, 0, false)));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(call(firstRequest, 1, true)));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(call(firstRequest, 2, false)));

        var completed = KafkaTopics.awaitRecords(Topics.STUDIES,
                r -> study.equals(r.key()) && codec.decode(r.value()).payload() instanceof StudyCompleted, 1,
                Duration.ofSeconds(30));
        // The replayed call billed nothing: the third call is the second billed one.
        EventEnvelope end = codec.decode(completed.getFirst().value());
        assertThat(((StudyCompleted) end.payload()).reason()).isEqualTo("model-budget-exhausted: calls 2/2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var live = VertxContextSupport.subscribeAndAwait(() -> recorder.state(study));
            var replayed = VertxContextSupport.subscribeAndAwait(() -> recorder.replay(study));
            assertThat(live.study().modelSpend().calls()).isEqualTo(3);
            assertThat(live.study().modelSpend().replayedCalls()).isEqualTo(1);
            assertThat(StateJson.write(replayed.study(), replayed.strategy()))
                    .isEqualTo(StateJson.write(live.study(), live.strategy()));
        });
    }

    /** The proposer's n-th model call for ordinal 0 of {@code request}. */
    private static EventEnvelope call(EventEnvelope request, int n, boolean replayed) {
        UUID proposal = EventIds.derived(request.correlationId(), "proposal:0");
        UUID id = EventIds.derived(proposal, "call:" + n);
        return new EventEnvelope(EventIds.derived(id, "event"), request.studyId(), request.team(),
                request.occurredAt(), request.eventId(), request.correlationId(), "proposer-service",
                new ModelCallCompleted(id, proposal, 0, "small", "default", "mutate@small/default",
                        ContentHash.sha256("prompt " + n), 10, ContentHash.sha256("answer " + n), 10, 100, 20, 5,
                        replayed ? 0.0 : 0.01, 1, replayed, null));
    }

    private List<EventEnvelope> requests(String study, int count) {
        return KafkaTopics.awaitRecords(Topics.STRATEGY, r -> study.equals(r.key()), count, Duration.ofSeconds(30))
                .stream().map(r -> codec.decode(r.value())).toList();
    }

    private StrategyUpdated request(String study, int nextOrdinal) {
        return KafkaTopics.awaitRecords(Topics.STRATEGY, r -> study.equals(r.key())
                        && codec.decode(r.value()).payload() instanceof StrategyUpdated u && u.proposalsRequested() > 0
                        && u.nextOrdinal() == nextOrdinal, 1, Duration.ofSeconds(30))
                .stream().map(r -> (StrategyUpdated) codec.decode(r.value()).payload()).findFirst().orElseThrow();
    }

    /** The proposer's answer to {@code request}: its id by the proposer's rule, caused by the request. */
    private static EventEnvelope proposal(EventEnvelope request, int ordinal) {
        UUID id = EventIds.derived(request.correlationId(), "proposal:" + ordinal);
        return new EventEnvelope(EventIds.derived(id, "event"), request.studyId(), request.team(),
                request.occurredAt(), request.eventId(), request.correlationId(), "proposer-service",
                new ProposalCreated(id, ordinal, "random", "random", Map.of("learning_rate", 0.01 * (ordinal + 1)),
                        List.of()));
    }

    private static EventEnvelope evaluation(EventEnvelope study, EventEnvelope proposal, double mean) {
        ProposalCreated p = (ProposalCreated) proposal.payload();
        UUID experiment = EventIds.derived(p.proposalId(), "experiment");
        UUID evaluation = EventIds.derived(experiment, "evaluation");
        return new EventEnvelope(EventIds.derived(evaluation, "event"), study.studyId(), study.team(),
                study.occurredAt().plusSeconds(1), UUID.randomUUID(), study.correlationId(), "evaluator-service",
                new EvaluationCompleted(evaluation, experiment, p.proposalId(), Verdict.NOT_BETTER, "test",
                        new MetricSummary("val_loss", 1, mean, 0, mean, mean), null, true, "sha256:test"));
    }
}
