package dev.seedloop.evaluator.domain;

import static dev.seedloop.evaluator.domain.ExperimentOutcomes.completed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.Objective;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Services;
import dev.seedloop.events.Verdict;

/** Manual promotion: given the evaluator's events, when an outcome or an approver's answer arrives, then … */
class ManualPromotionTest {

    private static final Objective OBJECTIVE = new Objective("val_loss", Direction.MINIMIZE, null);
    private static final Instant NOW = Instant.parse("2026-11-23T13:10:00.250Z");
    private static final String SHA = "sha256:" + "cd".repeat(32);
    private static final UUID A = UUID.fromString("00000000-0000-7000-8000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-7000-8000-00000000000b");
    private static final UUID C = UUID.fromString("00000000-0000-7000-8000-00000000000c");
    private final EventCodec codec = new EventCodec();

    /** Outcome of proposal {@code proposal}'s experiment, whose id derives from the proposal as the implementer's does. */
    private static EventEnvelope outcome(UUID proposal, double... losses) {
        return completed(EventIds.derived(proposal, "experiment"), proposal, losses);
    }

    private static List<EventEnvelope> judge(EvaluatorState state, PromotionPolicy policy, EventEnvelope outcome) {
        return EvaluationDecider.onExperimentCompleted(outcome, (ExperimentCompleted) outcome.payload(), state,
                OBJECTIVE, ValidationResult.PASSED, null, PromotionSettings.DEFAULTS, policy, NOW, SHA);
    }

    private static EvaluatorState fold(EvaluatorState state, List<EventEnvelope> events) {
        for (EventEnvelope event : events) {
            state = EvaluatorState.evolve(state, event);
        }
        return state;
    }

    /** An approver's answer as the gateway publishes it: in the sample study, starting its own chain. */
    private static EventEnvelope answer(String name, EventPayload payload) {
        UUID id = EventIds.derived(A, "answer:" + name);
        return new EventEnvelope(id, SampleEvents.STUDY_ID, SampleEvents.TEAM, NOW.minusSeconds(1), null, id,
                Services.GATEWAY, payload);
    }

    private static EventEnvelope approval(String name, UUID proposal) {
        return answer(name, new PromotionApproved(proposal, "alice", "reviewed"));
    }

    private static EventEnvelope rejection(String name, UUID proposal) {
        return answer(name, new PromotionRejected(proposal, "alice", "within last week's noise"));
    }

    private static List<EventEnvelope> accepted(PromotionReview.Outcome outcome) {
        assertThat(outcome).isInstanceOf(PromotionReview.Outcome.Accepted.class);
        return ((PromotionReview.Outcome.Accepted) outcome).events();
    }

    private static EvaluationCompleted evaluation(List<EventEnvelope> events) {
        return (EvaluationCompleted) events.getFirst().payload();
    }

    /** A manual study where A won, was approved and is the champion. */
    private static EvaluatorState withApprovedChampionA() {
        EvaluatorState state = fold(EvaluatorState.EMPTY, judge(EvaluatorState.EMPTY, PromotionPolicy.MANUAL,
                outcome(A, 0.50, 0.51, 0.49)));
        return fold(state, accepted(PromotionReview.onApproved(approval("a", A),
                (PromotionApproved) approval("a", A).payload(), state, NOW)));
    }

    @Test
    void aWinnerIsRequestedForApprovalInsteadOfPromoted() {
        EventEnvelope cause = outcome(A, 0.50, 0.51, 0.49);
        List<EventEnvelope> out = judge(EvaluatorState.EMPTY, PromotionPolicy.MANUAL, cause);

        assertThat(out).extracting(EventEnvelope::type).containsExactly(EventTypes.EVALUATION_COMPLETED,
                EventTypes.PROMOTION_REQUESTED);
        EvaluationCompleted evaluation = evaluation(out);
        assertThat(evaluation.verdict()).isEqualTo(Verdict.NEW_CHAMPION);
        assertThat(evaluation.reason()).startsWith("first valid result").endsWith("awaits approval (manual promotion)");
        EventEnvelope request = out.get(1);
        assertThat(request.eventId()).isEqualTo(EventIds.derived(evaluation.evaluationId(), "promotion-requested"));
        assertThat(request.causationId()).isEqualTo(out.getFirst().eventId());
        assertThat(request.correlationId()).isEqualTo(cause.correlationId());
        assertThat(request.producer()).isEqualTo(Services.EVALUATOR);
        assertThat(request.payload()).isEqualTo(new PromotionRequested(A, evaluation.evaluationId(),
                evaluation.summary().mean(), null));

        EvaluatorState state = fold(EvaluatorState.EMPTY, out);
        assertThat(state.champion()).isNull();
        assertThat(state.pendingCandidates()).containsOnlyKeys(A);
        assertThat(state.pending(A)).hasValueSatisfying(c -> assertThat(c.summary()).isEqualTo(evaluation.summary()));
    }

    @Test
    void aWinnerAgainstAChampionNamesItAndLeavesItInPlace() {
        EvaluatorState given = withApprovedChampionA();
        List<EventEnvelope> out = judge(given, PromotionPolicy.MANUAL, outcome(B, 0.30, 0.31, 0.29));

        assertThat(((PromotionRequested) out.get(1).payload()).currentChampionId()).isEqualTo(A);
        EvaluatorState state = fold(given, out);
        assertThat(state.champion()).isEqualTo(given.champion());
        assertThat(state.pendingCandidates()).containsOnlyKeys(B);
    }

    @Test
    void anApprovalPromotesTheCandidateFromTheCurrentChampion() {
        EvaluatorState given = withApprovedChampionA();
        List<EventEnvelope> judged = judge(given, PromotionPolicy.MANUAL, outcome(B, 0.30, 0.31, 0.29));
        given = fold(given, judged);
        EventEnvelope approval = approval("b", B);

        List<EventEnvelope> out = accepted(PromotionReview.onApproved(approval, (PromotionApproved) approval.payload(),
                given, NOW));

        EvaluationCompleted evaluation = evaluation(judged);
        assertThat(out).hasSize(1);
        EventEnvelope changed = out.getFirst();
        assertThat(changed.payload()).isEqualTo(new ChampionChanged(B, A, evaluation.evaluationId(),
                evaluation.summary().mean()));
        assertThat(changed.eventId()).isEqualTo(EventIds.derived(evaluation.evaluationId(), "champion-changed"));
        assertThat(changed.causationId()).isEqualTo(approval.eventId());
        assertThat(changed.correlationId()).isEqualTo(approval.correlationId());
        assertThat(changed.studyId()).isEqualTo(approval.studyId());
        assertThat(changed.producer()).isEqualTo(Services.EVALUATOR);
        assertThat(changed.occurredAt()).isEqualTo(NOW);

        EvaluatorState state = fold(given, out);
        // Exactly the champion an automatic promotion of the same evaluation would have installed.
        assertThat(state.champion()).isEqualTo(new ChampionRecord(B, evaluation.evaluationId(), evaluation.summary(),
                null));
        assertThat(state.pendingCandidates()).isEmpty();
    }

    @Test
    void otherCandidatesStayPendingAndEachApprovalPromotes() {
        EvaluatorState state = fold(EvaluatorState.EMPTY, judge(EvaluatorState.EMPTY, PromotionPolicy.MANUAL,
                outcome(A, 0.50, 0.51, 0.49)));
        state = fold(state, judge(state, PromotionPolicy.MANUAL, outcome(B, 0.30, 0.31, 0.29)));
        assertThat(state.pendingCandidates()).containsOnlyKeys(A, B);

        state = fold(state, accepted(PromotionReview.onApproved(approval("b", B),
                (PromotionApproved) approval("b", B).payload(), state, NOW)));
        assertThat(state.champion().proposalId()).isEqualTo(B);
        assertThat(state.pendingCandidates()).containsOnlyKeys(A);

        List<EventEnvelope> out = accepted(PromotionReview.onApproved(approval("a", A),
                (PromotionApproved) approval("a", A).payload(), state, NOW));
        assertThat(((ChampionChanged) out.getFirst().payload()).previousProposalId()).isEqualTo(B);
        assertThat(fold(state, out).champion().proposalId()).isEqualTo(A);
    }

    @Test
    void aRejectionEndsTheWaitAndPublishesNothing() {
        EvaluatorState given = withApprovedChampionA();
        given = fold(given, judge(given, PromotionPolicy.MANUAL, outcome(B, 0.30, 0.31, 0.29)));
        EventEnvelope rejection = rejection("b", B);

        assertThat(accepted(PromotionReview.onRejected(rejection, (PromotionRejected) rejection.payload(), given)))
                .isEmpty();

        EvaluatorState state = EvaluatorState.evolve(given, rejection);
        assertThat(state.champion()).isEqualTo(given.champion());
        assertThat(state.pendingCandidates()).isEmpty();
        EventEnvelope lateApproval = approval("late", B);
        assertThat(PromotionReview.onApproved(lateApproval, (PromotionApproved) lateApproval.payload(), state, NOW))
                .isInstanceOfSatisfying(PromotionReview.Outcome.Ignored.class,
                        ignored -> assertThat(ignored.why()).contains("already rejected"));
    }

    @Test
    void answersAboutProposalsThatAreNotPendingAreIgnored() {
        EvaluatorState state = withApprovedChampionA();
        EventEnvelope unknown = approval("unknown", C);
        EventEnvelope again = approval("again", A);
        EventEnvelope rejectChampion = rejection("late", A);

        assertThat(PromotionReview.onApproved(unknown, (PromotionApproved) unknown.payload(), state, NOW))
                .isInstanceOfSatisfying(PromotionReview.Outcome.Ignored.class,
                        ignored -> assertThat(ignored.why()).contains("no promotion of proposal " + C));
        assertThat(PromotionReview.onApproved(again, (PromotionApproved) again.payload(), state, NOW))
                .isInstanceOfSatisfying(PromotionReview.Outcome.Ignored.class,
                        ignored -> assertThat(ignored.why()).contains("already approved"));
        assertThat(PromotionReview.onRejected(rejectChampion, (PromotionRejected) rejectChampion.payload(), state))
                .isInstanceOf(PromotionReview.Outcome.Ignored.class);
        // Another study's state knows nothing of A.
        assertThat(PromotionReview.onApproved(again, (PromotionApproved) again.payload(), EvaluatorState.EMPTY, NOW))
                .isInstanceOf(PromotionReview.Outcome.Ignored.class);
        assertThat(EvaluatorState.evolve(state, rejectChampion).champion()).isEqualTo(state.champion());
    }

    @Test
    void aRedeliveredApprovalYieldsTheSameEventsAndOnceAppliedNothing() {
        EvaluatorState given = fold(EvaluatorState.EMPTY, judge(EvaluatorState.EMPTY, PromotionPolicy.MANUAL,
                outcome(A, 0.50, 0.51, 0.49)));
        EventEnvelope approval = approval("a", A);
        PromotionApproved payload = (PromotionApproved) approval.payload();

        List<String> first = accepted(PromotionReview.onApproved(approval, payload, given, NOW)).stream()
                .map(codec::encodeToString).toList();
        List<EventEnvelope> second = accepted(PromotionReview.onApproved(approval, payload, given, NOW));
        assertThat(second.stream().map(codec::encodeToString).toList()).isEqualTo(first);

        EvaluatorState applied = fold(given, second);
        assertThat(PromotionReview.onApproved(approval, payload, applied, NOW))
                .isInstanceOf(PromotionReview.Outcome.Redelivered.class);
        // The topic echo of the ChampionChanged changes nothing either.
        assertThat(fold(applied, second)).isEqualTo(applied);
    }

    @Test
    void laterCandidatesAreJudgedAgainstTheApprovedChampionAsIfPromotedAutomatically() {
        EvaluatorState manual = withApprovedChampionA();
        EvaluatorState auto = fold(EvaluatorState.EMPTY, judge(EvaluatorState.EMPTY, PromotionPolicy.AUTO,
                outcome(A, 0.50, 0.51, 0.49)));
        assertThat(manual.champion()).isEqualTo(auto.champion());

        EventEnvelope challenger = outcome(C, 0.45, 0.46, 0.44);
        EvaluationCompleted againstApproved = evaluation(judge(manual, PromotionPolicy.MANUAL, challenger));
        EvaluationCompleted againstAuto = evaluation(judge(auto, PromotionPolicy.AUTO, challenger));
        assertThat(againstApproved.verdict()).isEqualTo(Verdict.NEW_CHAMPION);
        assertThat(againstApproved.pValue()).as("Welch's test against the champion's three repeats")
                .isEqualTo(againstAuto.pValue()).isNotNull();
        assertThat(againstApproved.reason()).startsWith(againstAuto.reason());

        EvaluationCompleted rerun = evaluation(judge(manual, PromotionPolicy.MANUAL, outcome(A, 0.40, 0.41, 0.39)));
        assertThat(rerun.verdict()).isEqualTo(Verdict.NOT_BETTER);
        assertThat(rerun.reason()).contains("already the champion");
    }

    @Test
    void anAutomaticStudyNeverAsks() {
        EvaluatorState given = fold(EvaluatorState.EMPTY, judge(EvaluatorState.EMPTY, PromotionPolicy.AUTO,
                outcome(A, 0.50, 0.51, 0.49)));
        List<EventEnvelope> out = judge(given, PromotionPolicy.AUTO, outcome(B, 0.30, 0.31, 0.29));

        assertThat(out).extracting(EventEnvelope::type).containsExactly(EventTypes.EVALUATION_COMPLETED,
                EventTypes.CHAMPION_CHANGED);
        assertThat(evaluation(out).reason()).doesNotContain("approval");
        EvaluatorState state = fold(given, out);
        assertThat(state.champion().proposalId()).isEqualTo(B);
        assertThat(state.pendingCandidates()).isEmpty();
    }

    @Test
    void aRebuildGivesTheLiveStateWhicheverTopicIsReadFirst() {
        List<EventEnvelope> evaluations = new ArrayList<>();
        EvaluatorState live = EvaluatorState.EMPTY;
        for (EventEnvelope outcome : List.of(outcome(A, 0.50, 0.51, 0.49), outcome(B, 0.30, 0.31, 0.29))) {
            List<EventEnvelope> out = judge(live, PromotionPolicy.MANUAL, outcome);
            evaluations.addAll(out);
            live = fold(live, out);
        }
        EventEnvelope approval = approval("a", A);
        EventEnvelope rejection = rejection("b", B);
        List<EventEnvelope> promoted = accepted(PromotionReview.onApproved(approval,
                (PromotionApproved) approval.payload(), live, NOW));
        evaluations.addAll(promoted);
        live = fold(fold(live, promoted), List.of(approval, rejection));
        List<EventEnvelope> studies = List.of(approval, rejection);

        List<EventEnvelope> studiesFirst = new ArrayList<>(studies);
        studiesFirst.addAll(evaluations);
        List<EventEnvelope> evaluationsFirst = new ArrayList<>(evaluations);
        evaluationsFirst.addAll(studies);
        EvaluatorState rebuiltStudiesFirst = fold(EvaluatorState.EMPTY,
                studiesFirst.stream().map(e -> codec.decode(codec.encode(e))).toList());
        EvaluatorState rebuiltEvaluationsFirst = fold(EvaluatorState.EMPTY,
                evaluationsFirst.stream().map(e -> codec.decode(codec.encode(e))).toList());

        assertThat(live.champion().proposalId()).isEqualTo(A);
        assertThat(live.pendingCandidates()).isEmpty();
        assertThat(rebuiltStudiesFirst).isEqualTo(live);
        assertThat(rebuiltEvaluationsFirst).isEqualTo(live);
    }
}
