package dev.seedloop.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The envelope's builders carry lineage and identity exactly as the hand-written constructors they replace. */
class EventEnvelopeTest {

    private static final Instant LATER = Instant.parse("2026-11-23T12:05:00.250Z");

    @Test
    void aCausedEventIsInItsCausesStudyTeamAndChainWithTheCauseAsItsCause() {
        EventEnvelope cause = SampleEvents.proposalCreated();
        UUID id = EventIds.derived(SampleEvents.EXPERIMENT_ID, "outcome");
        EventPayload payload = SampleEvents.experimentStarted().payload();

        EventEnvelope caused = cause.caused(id, LATER, Services.IMPLEMENTER, payload);

        assertThat(caused).isEqualTo(new EventEnvelope(id, SampleEvents.STUDY_ID, SampleEvents.TEAM, LATER,
                cause.eventId(), SampleEvents.CORRELATION_ID, Services.IMPLEMENTER, payload));
        // The chain is the cause's correlation, not the cause itself (they differ for every event but a chain's first).
        assertThat(cause.correlationId()).isNotEqualTo(cause.eventId());
        assertThat(caused.causationId()).isEqualTo(cause.eventId());
        assertThat(caused.correlationId()).isEqualTo(cause.correlationId());
    }

    @Test
    void aChainOfCausedEventsKeepsTheFirstEventsCorrelation() {
        EventEnvelope first = EventEnvelope.firstOfChain(SampleEvents.STUDY_CREATED_ID, SampleEvents.STUDY_ID,
                SampleEvents.TEAM, LATER, Services.GATEWAY, SampleEvents.studyPaused().payload());
        EventEnvelope second = first.caused(EventIds.derived(first.eventId(), "a"), LATER, Services.LEARNER,
                SampleEvents.strategyUpdated().payload());
        EventEnvelope third = second.caused(EventIds.derived(second.eventId(), "b"), LATER, Services.PROPOSER,
                SampleEvents.proposalCreated().payload());

        assertThat(first.causationId()).isNull();
        assertThat(first.correlationId()).isEqualTo(first.eventId());
        assertThat(List.of(second.correlationId(), third.correlationId())).containsOnly(first.eventId());
        assertThat(second.causationId()).isEqualTo(first.eventId());
        assertThat(third.causationId()).isEqualTo(second.eventId());
        assertThat(List.of(second.studyId(), third.studyId())).containsOnly(SampleEvents.STUDY_ID);
        assertThat(List.of(second.team(), third.team())).containsOnly(SampleEvents.TEAM);
    }

    @Test
    void theFirstOfAChainIsTheEnvelopeAGatewayCommandBuiltByHand() {
        UUID id = UUID.fromString("0193f7a2-7000-7000-8000-000000000001");
        EventPayload payload = SampleEvents.studyHalted().payload();

        assertThat(EventEnvelope.firstOfChain(id, SampleEvents.STUDY_ID, SampleEvents.TEAM, LATER, Services.GATEWAY,
                payload)).isEqualTo(new EventEnvelope(id, SampleEvents.STUDY_ID, SampleEvents.TEAM, LATER, null, id,
                Services.GATEWAY, payload));
    }

    @Test
    void withPayloadChangesOnlyThePayload() {
        EventEnvelope completed = SampleEvents.experimentCompleted();
        EventPayload failed = SampleEvents.experimentFailed().payload();

        assertThat(completed.withPayload(failed)).isEqualTo(new EventEnvelope(completed.eventId(),
                completed.studyId(), completed.team(), completed.occurredAt(), completed.causationId(),
                completed.correlationId(), completed.producer(), failed));
        assertThat(completed.withPayload(completed.payload())).isEqualTo(completed);
    }

    @Test
    void withStudyAndTeamChangesOnlyStudyAndTeam() {
        EventEnvelope evaluation = SampleEvents.evaluationCompleted();

        assertThat(evaluation.withStudyAndTeam("imported-study", "importing-team")).isEqualTo(new EventEnvelope(
                evaluation.eventId(), "imported-study", "importing-team", evaluation.occurredAt(),
                evaluation.causationId(), evaluation.correlationId(), evaluation.producer(), evaluation.payload()));
    }

    @Test
    void buildersKeepTheEnvelopesInvariants() {
        EventEnvelope cause = SampleEvents.proposalCreated();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> cause.withStudyAndTeam(" ", SampleEvents.TEAM));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> cause.caused(SampleEvents.EXPERIMENT_ID, LATER, "", cause.payload()));
    }
}
