package dev.seedloop.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registry consistency and record invariants. */
class ContractTest {

    private static final Set<String> SERVICES = Set.of(Services.GATEWAY, Services.PROPOSER, Services.IMPLEMENTER,
            Services.EVALUATOR, Services.LEARNER);

    @Test
    void everyPermittedPayloadIsRegisteredExactlyOnce() {
        assertThat(EventTypes.all()).extracting(EventType::payloadClass)
                .containsExactlyInAnyOrder(castAll(EventPayload.class.getPermittedSubclasses()));
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends EventPayload>[] castAll(Class<?>[] classes) {
        return (Class<? extends EventPayload>[]) classes;
    }

    @Test
    void registryEntriesUseKnownTopicsAndServices() {
        for (EventType t : EventTypes.all()) {
            assertThat(t.name()).startsWith("seedloop.");
            assertThat(Topics.ALL_EVENT_TOPICS).contains(t.topic());
            assertThat(SERVICES).contains(t.producer());
            assertThat(SERVICES).containsAll(t.consumers());
            assertThat(t.consumers()).doesNotContain(t.producer());
            assertThat(EventTypes.forName(t.name())).contains(t);
            assertThat(EventTypes.forPayload(t.payloadClass())).isEqualTo(t);
            assertThat(EventTypes.currentVersion(t.name())).isEqualTo(t.version());
        }
        assertThat(Topics.ALL_EVENT_TOPICS).doesNotContain(Topics.DEAD_LETTERS, Topics.QUERIES, Topics.QUERY_REPLIES, Topics.JOURNAL, Topics.IMPORTS).hasSize(6);
        assertThat(EventTypes.forName("seedloop.nope")).isEmpty();
        assertThatThrownBy(() -> EventTypes.currentVersion("seedloop.nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void spotCheckRegistryAgainstTheSpec() {
        EventType t = EventTypes.forPayload(StudyCompleted.class);
        assertThat(t.name()).isEqualTo("seedloop.study.completed");
        assertThat(t.topic()).isEqualTo("seedloop.studies");
        assertThat(t.producer()).isEqualTo("learner-service");
        assertThat(t.consumers()).containsExactly("proposer-service", "implementer-service", "gateway");
        assertThat(EventTypes.forPayload(ChampionChanged.class).consumers())
                .containsExactly(Services.LEARNER, Services.GATEWAY);
    }

    @Test
    void registryRejectsDuplicates() {
        EventType paused = EventTypes.forPayload(StudyPaused.class);
        assertThatThrownBy(() -> EventTypes.registry().with(paused))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate event type name");
        assertThatThrownBy(() -> EventTypes.registry().with(new EventType("seedloop.other", 1, StudyPaused.class,
                Topics.STUDIES, Services.GATEWAY, List.of(Services.LEARNER))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered twice");
    }

    @Test
    void envelopeAnswersTypeAndVersionFromTheRegistry() {
        EventEnvelope e = SampleEvents.proposalCreated();
        assertThat(e.type()).isEqualTo("seedloop.proposal.created");
        assertThat(e.version()).isEqualTo(2);
    }

    @Test
    void envelopeValidatesItsFields() {
        EventEnvelope ok = SampleEvents.studyPaused();
        assertThatThrownBy(() -> new EventEnvelope(null, ok.studyId(), ok.team(), ok.occurredAt(), null,
                ok.correlationId(), ok.producer(), ok.payload()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("eventId must not be null");
        assertThatThrownBy(() -> EventEnvelope.of(ok.eventId(), " ", ok.team(), ok.occurredAt(), null,
                ok.correlationId(), ok.producer(), ok.payload()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("studyId must not be blank");
        assertThatThrownBy(() -> new EventEnvelope(ok.eventId(), ok.studyId(), ok.team(), ok.occurredAt(), null,
                ok.correlationId(), "", ok.payload()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("producer must not be blank");
        assertThatThrownBy(() -> new EventEnvelope(ok.eventId(), ok.studyId(), ok.team(), ok.occurredAt(), null,
                ok.correlationId(), ok.producer(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("payload must not be null");
        assertThat(new EventEnvelope(ok.eventId(), ok.studyId(), ok.team(), Instant.EPOCH, null,
                ok.correlationId(), ok.producer(), ok.payload()).causationId()).isNull();
    }

    @Test
    void collectionsAreCopiedDefensivelyAndKeepOrder() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("z", 1);
        params.put("a", "x");
        List<UUID> parents = new ArrayList<>(List.of(SampleEvents.PARENT_PROPOSAL_ID));
        var p = new ProposalCreated(SampleEvents.PROPOSAL_ID, 0, "random", "sample", params, parents);
        params.put("b", 2);
        parents.clear();
        assertThat(p.parameters()).containsOnlyKeys("z", "a");
        assertThat(p.parameters().keySet()).containsExactly("z", "a");
        assertThat(p.parents()).hasSize(1);
        assertThatThrownBy(() -> p.parameters().put("c", 3)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.parents().add(UUID.randomUUID())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void proposalParametersMustBeJsonScalars() {
        assertThatThrownBy(() -> new ProposalCreated(SampleEvents.PROPOSAL_ID, 0, "random", "sample",
                Map.of("x", List.of(1)), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameters['x']");
        assertThatThrownBy(() -> new ProposalCreated(SampleEvents.PROPOSAL_ID, 0, "random", "sample",
                Map.of("x", Double.NaN), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        var nulls = new LinkedHashMap<String, Object>();
        nulls.put("x", null);
        assertThatThrownBy(() -> new ProposalCreated(SampleEvents.PROPOSAL_ID, 0, "random", "sample", nulls, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("parameters['x'] must not be null");
    }

    @Test
    void valueRecordInvariants() {
        assertThatThrownBy(() -> Parameter.floating("lr", 0.0, 1.0, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("low > 0");
        assertThatThrownBy(() -> Parameter.floating("lr", 2.0, 1.0, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Parameter.categorical("opt", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SearchSpace(List.of(Parameter.integer("a", 1, 2), Parameter.integer("a", 1, 3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new Budget(0, 10, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxExperiments must be >= 1 but was 0");
        assertThatThrownBy(() -> new StudyCompleted("done", SampleEvents.PROPOSAL_ID, null, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EvaluationCompleted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                Verdict.NOT_BETTER, "no summary", null, null, true, "sha256:00"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("summary is required");
        assertThat(new EvaluationCompleted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                Verdict.INVALID, "experiment failed", null, null, false, "sha256:00").summary()).isNull();
        assertThatThrownBy(() -> new StrategyUpdated(1, 1, Map.of("mutate", -0.1), "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Direction.MINIMIZE.isBetter(1.0, 2.0)).isTrue();
        assertThat(Direction.MAXIMIZE.isBetter(1.0, 2.0)).isFalse();
    }

    @Test
    void perStudySamplesAreStableAndDisjoint() {
        String a = SampleEvents.newStudyId();
        String b = SampleEvents.newStudyId();
        assertThat(a).isNotEqualTo(b);
        assertThat(SampleEvents.studyCreated(a)).isEqualTo(SampleEvents.studyCreated(a));
        assertThat(SampleEvents.studyCreated(a).eventId()).isNotEqualTo(SampleEvents.studyCreated(b).eventId());
        List<EventEnvelope> proposals = SampleEvents.proposals(a, 3);
        assertThat(proposals).extracting(EventEnvelope::studyId).containsOnly(a);
        assertThat(proposals).extracting(e -> ((ProposalCreated) e.payload()).ordinal()).containsExactly(0, 1, 2);
        assertThat(proposals).extracting(EventEnvelope::eventId).doesNotHaveDuplicates();
        assertThat(proposals).extracting(EventEnvelope::causationId).containsOnly(SampleEvents.studyCreated(a).eventId());
        assertThat(SampleEvents.experimentFailed(a).studyId()).isEqualTo(a);
        assertThat(((ExperimentFailed) SampleEvents.experimentFailed(a).payload()).experimentId())
                .isNotEqualTo(((ExperimentFailed) SampleEvents.experimentFailed(b).payload()).experimentId());
    }
}
