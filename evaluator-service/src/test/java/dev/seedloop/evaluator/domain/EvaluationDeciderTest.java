package dev.seedloop.evaluator.domain;

import static dev.seedloop.evaluator.domain.ExperimentOutcomes.completed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.Objective;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Services;
import dev.seedloop.events.Verdict;

class EvaluationDeciderTest {

    private static final Objective OBJECTIVE = new Objective("val_loss", Direction.MINIMIZE, 0.05);
    private static final Instant NOW = Instant.parse("2026-11-23T12:03:45.102Z");
    private static final String SHA = "sha256:" + "ab".repeat(32);
    private final EventCodec codec = new EventCodec();

    private static List<EventEnvelope> run(EventEnvelope cause, EvaluatorState state, Double heldOut) {
        return EvaluationDecider.onExperimentCompleted(cause, (ExperimentCompleted) cause.payload(), state, OBJECTIVE,
                ValidationResult.PASSED, heldOut, PromotionSettings.DEFAULTS, PromotionPolicy.AUTO, NOW, SHA);
    }

    @Test
    void firstResultYieldsEvaluationAndChampionChangedWithDerivedIds() {
        EventEnvelope cause = SampleEvents.experimentCompleted();
        List<EventEnvelope> out = run(cause, EvaluatorState.EMPTY, null);

        assertThat(out).hasSize(2);
        EventEnvelope evaluation = out.get(0);
        UUID evaluationId = EventIds.derived(SampleEvents.EXPERIMENT_ID, "evaluation");
        assertThat(evaluation.eventId()).isEqualTo(EventIds.derived(evaluationId, "event"));
        assertThat(evaluation.causationId()).isEqualTo(cause.eventId());
        assertThat(evaluation.correlationId()).isEqualTo(cause.correlationId());
        assertThat(evaluation.producer()).isEqualTo(Services.EVALUATOR);
        assertThat(evaluation.occurredAt()).isEqualTo(NOW);
        EvaluationCompleted e = (EvaluationCompleted) evaluation.payload();
        assertThat(e.evaluationId()).isEqualTo(evaluationId);
        assertThat(e.verdict()).isEqualTo(Verdict.NEW_CHAMPION);
        assertThat(e.summary().n()).isEqualTo(3);
        assertThat(e.validationPassed()).isTrue();
        assertThat(e.evaluatorSha256()).isEqualTo(SHA);

        EventEnvelope champion = out.get(1);
        assertThat(champion.eventId()).isEqualTo(EventIds.derived(evaluationId, "champion-changed"));
        assertThat(champion.causationId()).isEqualTo(evaluation.eventId());
        ChampionChanged c = (ChampionChanged) champion.payload();
        assertThat(c.previousProposalId()).isNull();
        assertThat(c.proposalId()).isEqualTo(SampleEvents.PROPOSAL_ID);
        assertThat(c.value()).isEqualTo(e.summary().mean());
    }

    @Test
    void redeliveryProducesByteIdenticalEvents() {
        EventEnvelope cause = SampleEvents.experimentCompleted();
        List<String> first = run(cause, EvaluatorState.EMPTY, 0.07).stream().map(codec::encodeToString).toList();
        List<String> second = run(cause, EvaluatorState.EMPTY, 0.07).stream().map(codec::encodeToString).toList();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void notBetterYieldsOnlyTheEvaluation() {
        UUID p1 = UUID.fromString("00000000-0000-7000-8000-000000000001");
        UUID p2 = UUID.fromString("00000000-0000-7000-8000-000000000002");
        EvaluatorState state = EvaluatorState.EMPTY;
        for (EventEnvelope e : run(completed(UUID.fromString("00000000-0000-8000-8000-000000000001"), p1, 0.10, 0.11, 0.09),
                state, null)) {
            state = EvaluatorState.evolve(state, e);
        }
        List<EventEnvelope> out = run(completed(UUID.fromString("00000000-0000-8000-8000-000000000002"), p2, 0.2, 0.21),
                state, null);
        assertThat(out).hasSize(1);
        assertThat(((EvaluationCompleted) out.get(0).payload()).verdict()).isEqualTo(Verdict.NOT_BETTER);
    }

    @Test
    void stateRebuiltFromDecodedEventsMatchesLiveState() {
        UUID p1 = UUID.fromString("00000000-0000-7000-8000-000000000001");
        UUID p2 = UUID.fromString("00000000-0000-7000-8000-000000000002");
        EvaluatorState live = EvaluatorState.EMPTY;
        List<EventEnvelope> published = new java.util.ArrayList<>();
        EventEnvelope[] causes = {
            completed(UUID.fromString("00000000-0000-8000-8000-000000000001"), p1, 0.10, 0.11, 0.09),
            completed(UUID.fromString("00000000-0000-8000-8000-000000000002"), p2, 0.05, 0.051, 0.049)};
        Double[] heldOut = {0.12, 0.06};
        for (int i = 0; i < causes.length; i++) {
            for (EventEnvelope e : run(causes[i], live, heldOut[i])) {
                published.add(e);
                live = EvaluatorState.evolve(live, e);
            }
        }
        assertThat(live.champion().proposalId()).isEqualTo(p2);
        assertThat(live.champion().heldOut()).isEqualTo(0.06);

        EvaluatorState rebuilt = EvaluatorState.EMPTY;
        for (EventEnvelope e : published) {
            rebuilt = EvaluatorState.evolve(rebuilt, codec.decode(codec.encode(e)));
            rebuilt = EvaluatorState.evolve(rebuilt, codec.decode(codec.encode(e)));
        }
        assertThat(rebuilt).isEqualTo(live);
    }

    @Test
    void championChangedWithoutItsEvaluationFallsBackToASingleSample() {
        EvaluatorState state = EvaluatorState.evolve(EvaluatorState.EMPTY, SampleEvents.championChanged());
        assertThat(state.champion().proposalId()).isEqualTo(SampleEvents.PROPOSAL_ID);
        assertThat(state.champion().summary().n()).isEqualTo(1);
        assertThat(state.champion().summary().mean()).isEqualTo(0.0412);
    }

    @Test
    void irrelevantEventsLeaveStateAlone() {
        assertThat(EvaluatorState.evolve(EvaluatorState.EMPTY, SampleEvents.proposalCreated())).isEqualTo(EvaluatorState.EMPTY);
    }

    @Test
    void failedExperimentsStayInvalid() {
        List<EventEnvelope> out = Evaluator.onExperimentFailed(SampleEvents.experimentFailed(),
                (dev.seedloop.events.ExperimentFailed) SampleEvents.experimentFailed().payload(), NOW, SHA);
        assertThat(((EvaluationCompleted) out.get(0).payload()).verdict()).isEqualTo(Verdict.INVALID);
    }
}
