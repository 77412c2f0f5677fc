package dev.seedloop.proposer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.BlobRef;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.StrategyNames;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.Topics;
import dev.seedloop.messaging.DeadLetters;
import dev.seedloop.messaging.EventMessages;
import dev.seedloop.messaging.StudyDirectory;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.events.SampleEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The proposer on the real broker: a study in, its first proposals out, garbage parked; pause, resume and halt. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ProposerMessagingTest {

    @Inject
    EventCodec codec;

    @Inject
    StudyDirectory directory;

    @Inject
    ArtifactStore store;

    @Test
    void aNewStudysFirstBatchIsTheLearnersFirstRequestKeyedByStudy() {
        StudyEvents study = StudyEvents.newStudy();
        StudyEvents.publish(Topics.STUDIES, study.created);
        // The learner's first request (ADR 0021), caused by the creation: two proposals from ordinal 0.
        EventEnvelope first = firstRequest(study.created);
        KafkaTopics.produce(Topics.STRATEGY, study.id(), "garbage".getBytes(StandardCharsets.UTF_8));
        StudyEvents.publish(Topics.STRATEGY, first);

        List<ConsumerRecord<String, byte[]>> records = KafkaTopics.awaitRecords(Topics.PROPOSALS,
                r -> study.id().equals(r.key()), 2, Duration.ofSeconds(30));

        List<EventEnvelope> proposals = records.stream().map(r -> codec.decode(r.value())).toList();
        assertThat(proposals).allSatisfy(p -> {
            assertThat(p.payload()).isInstanceOf(ProposalCreated.class);
            assertThat(p.causationId()).as("caused by the request, never by the creation").isEqualTo(first.eventId());
            assertThat(p.correlationId()).isEqualTo(study.created.correlationId());
            assertThat(p.team()).isEqualTo(study.created.team());
        });
        assertThat(proposals).extracting(p -> ((ProposalCreated) p.payload()).ordinal()).containsExactlyInAnyOrder(0, 1);
        assertThat(new String(records.getFirst().headers().lastHeader(EventMessages.TYPE_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("seedloop.proposal.created");

        var parked = KafkaTopics.awaitRecords(Topics.DEAD_LETTERS, r -> study.id().equals(r.key()), 1,
                Duration.ofSeconds(30));
        assertThat(new String(parked.getFirst().headers().lastHeader(DeadLetters.CONSUMER).value(),
                StandardCharsets.UTF_8)).isEqualTo("proposer-service");
        // Handled after the study's creation and request (same partition of the strategy topic): still only those two.
        handledEverythingSentBefore(study.id());
        assertThat(KafkaTopics.readAll(Topics.PROPOSALS, r -> study.id().equals(r.key()))).hasSize(2);
    }

    @Test
    void aStrategyUpdateGetsExactlyTheRequestedOrdinalsFromTheStudysStrategy() {
        String study = SampleEvents.newStudyId();
        EventEnvelope created = SampleEvents.studyCreated(study);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        EventEnvelope sample = SampleEvents.strategyUpdated();
        StrategyUpdated request = new StrategyUpdated(3, 3, Map.of("mutate", 1.0), "test", 5,
                ((StrategyUpdated) sample.payload()).observations());
        EventEnvelope update = new EventEnvelope(UUID.randomUUID(), study, created.team(), sample.occurredAt(),
                UUID.randomUUID(), created.correlationId(), "learner-service", request);
        KafkaTopics.produce(Topics.STRATEGY, study, codec.encode(update));

        List<EventEnvelope> proposals = KafkaTopics.awaitRecords(Topics.PROPOSALS,
                        r -> study.equals(r.key()) && codec.decode(r.value()).causationId().equals(update.eventId()), 3,
                        Duration.ofSeconds(30))
                .stream().map(r -> codec.decode(r.value())).toList();

        assertThat(proposals).extracting(p -> ((ProposalCreated) p.payload()).ordinal()).containsExactlyInAnyOrder(5, 6, 7);
        assertThat(proposals).extracting(p -> ((ProposalCreated) p.payload()).strategy())
                .containsOnly(((StudyCreated) created.payload()).strategy());
    }

    @Test
    void aPausedStudyGetsTheProposalsItWasAskedForOnlyOnceResumed() {
        String study = SampleEvents.newStudyId();
        EventEnvelope created = SampleEvents.studyCreated(study);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.STRATEGY, study, codec.encode(firstRequest(created)));
        KafkaTopics.awaitRecords(Topics.PROPOSALS, r -> study.equals(r.key()), 2, Duration.ofSeconds(30));
        control(created, new StudyPaused("bob", "maintenance"), StudyDirectory.Status.PAUSED);

        // Asked for while paused (the request crossed the pause): nothing until the resume.
        EventEnvelope update = request(created, 2);
        KafkaTopics.produce(Topics.STRATEGY, study, codec.encode(update));
        handledEverythingSentBefore(study);
        assertThat(proposalsCausedBy(study, update)).isEmpty();

        control(created, new StudyResumed("bob"), StudyDirectory.Status.ACTIVE);
        List<EventEnvelope> proposals = KafkaTopics.awaitRecords(Topics.PROPOSALS,
                        r -> study.equals(r.key()) && codec.decode(r.value()).causationId().equals(update.eventId()), 1,
                        Duration.ofSeconds(30))
                .stream().map(r -> codec.decode(r.value())).toList();
        assertThat(proposals).extracting(p -> ((ProposalCreated) p.payload()).ordinal()).containsExactly(2);
    }

    @Test
    void aHaltedStudyGetsNoMoreProposalsNotEvenThoseHeldWhilePaused() {
        String study = SampleEvents.newStudyId();
        EventEnvelope created = SampleEvents.studyCreated(study);
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.STRATEGY, study, codec.encode(firstRequest(created)));
        KafkaTopics.awaitRecords(Topics.PROPOSALS, r -> study.equals(r.key()), 2, Duration.ofSeconds(30));
        control(created, new StudyPaused("bob", "maintenance"), StudyDirectory.Status.PAUSED);
        EventEnvelope held = request(created, 2);
        KafkaTopics.produce(Topics.STRATEGY, study, codec.encode(held));

        control(created, new StudyHalted("bob", "wrong metric"), StudyDirectory.Status.HALTED);
        // A resume after the halt changes nothing: halted is final.
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(control(created, new StudyResumed("bob"))));
        EventEnvelope late = request(created, 3);
        KafkaTopics.produce(Topics.STRATEGY, study, codec.encode(late));
        handledEverythingSentBefore(study);

        assertThat(proposalsCausedBy(study, held)).isEmpty();
        assertThat(proposalsCausedBy(study, late)).isEmpty();
        assertThat(directory.find(study).orElseThrow().status()).isEqualTo(StudyDirectory.Status.HALTED);
    }

    @Test
    void anLlmStudysRequestIsAnsweredWithItsModelCallThenItsProposalFromTheArtifactStore() {
        // The study's code, uploaded as the gateway does: stored and granted to the study's team.
        StudyEvents sample = StudyEvents.newStudy();
        BlobRef solve = store.putText("# EVOLVE-BLOCK-START\nx = 1\n# EVOLVE-BLOCK-END\n");
        Tree tree = Tree.of(List.of(new TreeEntry(TreePath.of("solve.py"), TreeEntry.Kind.FILE, solve.hash(),
                solve.size())));
        store.putTree(tree);
        store.grant(sample.created.team(), tree.hash());
        StudyCreated s = (StudyCreated) sample.created.payload();
        EventEnvelope created = sample.created.withPayload(new StudyCreated(s.name(), s.objective(), s.searchSpace(),
                s.budget(), StrategyNames.LLM, s.seed(), s.specSha256(), WorkspaceRef.ofTree(tree.hash()),
                s.experiment(), s.validation(), List.of(), Map.of(), s.promotion(), s.createdBy(), null));
        KafkaTopics.produce(Topics.STUDIES, created.studyId(), codec.encode(created));
        EventEnvelope request = firstRequest(created);
        KafkaTopics.produce(Topics.STRATEGY, created.studyId(), codec.encode(request));

        List<EventEnvelope> events = KafkaTopics.awaitRecords(Topics.PROPOSALS,
                        r -> created.studyId().equals(r.key()), 4, Duration.ofSeconds(30))
                .stream().map(r -> codec.decode(r.value())).toList();

        // No model client in this service: every call fails visibly, its proposal with it, in order per ordinal.
        assertThat(events).extracting(e -> e.payload().getClass().getSimpleName()).containsExactly(
                "ModelCallCompleted", "ProposalRejected", "ModelCallCompleted", "ProposalRejected");
        assertThat(events).allSatisfy(e -> assertThat(e.causationId()).isEqualTo(request.eventId()));
        ModelCallCompleted call = (ModelCallCompleted) events.getFirst().payload();
        assertThat(call.failure()).contains("no language model configured");
        assertThat(call.operator()).isEqualTo("mutate@none/default");
        assertThat(new String(store.readBlob(call.promptHash(), 1 << 20), StandardCharsets.UTF_8))
                .as("the prompt, stored in PostgreSQL, shows the study's code").contains("x = 1");
        assertThat(((ProposalRejected) events.get(1).payload()).reason()).isEqualTo("the model call failed");
    }

    /**
     * Waits until the proposer has handled every request of {@code study} sent so far: it answers a request of another
     * study that it reads after them, on the same partition.
     */
    private static void handledEverythingSentBefore(String study) {
        StudyEvents marker = StudyEvents.newStudyOnSamePartition(study, Topics.STRATEGY);
        StudyEvents.publish(Topics.STUDIES, marker.created);
        EventEnvelope request = marker.request(2, 1);
        StudyEvents.publish(Topics.STRATEGY, request);
        StudyEvents.awaitProposalsCausedBy(request, 1);
    }

    /** Publishes an operator's control event and waits until this service's directory has read it. */
    private void control(EventEnvelope created, EventPayload payload, StudyDirectory.Status expected) {
        KafkaTopics.produce(Topics.STUDIES, created.studyId(), codec.encode(control(created, payload)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> directory.find(created.studyId())
                .map(s -> s.status() == expected).orElse(false));
    }

    private static EventEnvelope control(EventEnvelope created, EventPayload payload) {
        return new EventEnvelope(UUID.randomUUID(), created.studyId(), created.team(), created.occurredAt(), null,
                created.correlationId(), "gateway", payload);
    }

    /** The learner's first request (ADR 0021): the first batch, caused by the creation. */
    private static EventEnvelope firstRequest(EventEnvelope created) {
        return created.caused(UUID.randomUUID(), created.occurredAt(), "learner-service",
                new StrategyUpdated(0, 2, Map.of(), "first batch", 0, List.of()));
    }

    /** The learner asking for one proposal with ordinal {@code ordinal}. */
    private static EventEnvelope request(EventEnvelope created, int ordinal) {
        StrategyUpdated request = new StrategyUpdated(ordinal, 1, Map.of(), "test", ordinal, List.of());
        return new EventEnvelope(UUID.randomUUID(), created.studyId(), created.team(), created.occurredAt(),
                UUID.randomUUID(), created.correlationId(), "learner-service", request);
    }

    private List<ConsumerRecord<String, byte[]>> proposalsCausedBy(String study, EventEnvelope cause) {
        return KafkaTopics.readAll(Topics.PROPOSALS, r -> study.equals(r.key())
                && cause.eventId().equals(codec.decode(r.value()).causationId()));
    }
}
