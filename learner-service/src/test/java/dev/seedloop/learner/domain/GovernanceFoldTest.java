package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.Events.evaluation;
import static dev.seedloop.learner.domain.Events.proposal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Verdict;

/** The fold's governance side: who created and controls a study, and how champions are promoted. */
class GovernanceFoldTest {

    private final Events ev = new Events();

    /** A manual-promotion study whose proposal 1 the evaluator judged a new champion (0.3). */
    private StudyState manualWithCandidate() {
        return StudyFold.replay(List.of(ev.createdManual("alice"),
                ev.proposed(proposal(1), 0, "random", List.of()),
                ev.evaluatedChampion(proposal(1), 0.3)));
    }

    @Test
    void studyCreatedNamesTheTeamCreatorAndPromotionPolicy() {
        StudyState s = StudyFold.evolve(StudyState.EMPTY, ev.createdManual("alice"));

        assertThat(s.team()).isEqualTo(Events.TEAM);
        assertThat(s.name()).isEqualTo("s");
        assertThat(s.createdBy()).isEqualTo("alice");
        assertThat(s.promotion()).isEqualTo(PromotionPolicy.MANUAL);
        assertThat(s.visibleTo(Events.TEAM)).isTrue();
        assertThat(s.visibleTo("team-b")).isFalse();
        assertThat(StudyState.EMPTY.visibleTo(null)).isFalse();
    }

    @Test
    void underManualPromotionTheChampionWaitsForTheApproverAndCarriesTheEvidence() {
        StudyState s = manualWithCandidate();
        assertThat(s.champion()).isNull();
        assertThat(s.bestValue()).isNull();
        assertThat(s.candidates()).extracting(Candidate::proposalId).containsExactly(proposal(1));

        s = StudyFold.evolve(s, ev.promotionRequested(proposal(1), 0.3, null));
        assertThat(s.pendingApprovals()).singleElement().satisfies(p -> {
            assertThat(p.proposalId()).isEqualTo(proposal(1));
            assertThat(p.evaluationId()).isEqualTo(evaluation(proposal(1)));
            assertThat(p.value()).isEqualTo(0.3);
            assertThat(p.comparedWith()).isNull();
        });

        EventEnvelope approval = ev.approved(proposal(1), "bob");
        s = StudyFold.evolve(s, approval);
        assertThat(s.pendingApprovals()).isEmpty();
        assertThat(s.champion()).isNull();

        EventEnvelope changed = ev.championChanged(approval, proposal(1), null, 0.3);
        s = StudyFold.evolve(s, changed);
        ChampionEntry champion = s.champion();
        assertThat(champion.proposalId()).isEqualTo(proposal(1));
        assertThat(champion.approvedBy()).isEqualTo("bob");
        assertThat(champion.at()).isEqualTo(changed.occurredAt());
        assertThat(champion.evidence()).isEqualTo(new Evidence("beats the champion", 0.3, 0.3 - 0.02, 0.3 + 0.02, 3,
                0.004, true, 0.3 + 0.001));
        assertThat(s.bestValue()).isEqualTo(0.3);
        assertThat(s.candidates()).isEmpty();
    }

    @Test
    void anApprovalStoredAfterTheChampionItCausedStillNamesTheApprover() {
        StudyState s = StudyFold.evolve(manualWithCandidate(), ev.promotionRequested(proposal(1), 0.3, null));
        EventEnvelope approval = ev.approved(proposal(1), "bob");

        s = StudyFold.evolve(s, ev.championChanged(approval, proposal(1), null, 0.3));
        assertThat(s.champion().approvedBy()).isNull();
        assertThat(s.pendingApprovals()).as("a champion is no longer pending").isEmpty();

        s = StudyFold.evolve(s, approval);
        assertThat(s.champion().approvedBy()).isEqualTo("bob");
    }

    @Test
    void aRejectionDropsTheCandidateAndKeepsTheChampion() {
        StudyState s = StudyFold.replay(List.of(ev.createdManual("alice"),
                ev.proposed(proposal(1), 0, "random", List.of()),
                ev.proposed(proposal(2), 1, "random", List.of())));
        s = StudyFold.evolve(s, ev.evaluatedChampion(proposal(1), 0.5));
        s = StudyFold.evolve(s, ev.promotionRequested(proposal(1), 0.5, null));
        EventEnvelope approval = ev.approved(proposal(1), "bob");
        s = StudyFold.evolve(s, approval);
        s = StudyFold.evolve(s, ev.championChanged(approval, proposal(1), null, 0.5));
        s = StudyFold.evolve(s, ev.evaluatedChampion(proposal(2), 0.4));
        s = StudyFold.evolve(s, ev.promotionRequested(proposal(2), 0.4, proposal(1)));
        assertThat(s.pendingApprovals()).extracting(PendingApproval::comparedWith).containsExactly(proposal(1));

        s = StudyFold.evolve(s, ev.rejected(proposal(2), "carol"));

        assertThat(s.pendingApprovals()).isEmpty();
        assertThat(s.candidates()).isEmpty();
        assertThat(s.championProposalId()).isEqualTo(proposal(1));
        assertThat(s.bestValue()).isEqualTo(0.5);
        assertThat(s.controls()).extracting(Control::action, Control::by, Control::proposalId).containsExactly(
                tuple(ControlAction.APPROVED, "bob", proposal(1)),
                tuple(ControlAction.REJECTED, "carol", proposal(2)));
    }

    @Test
    void underAutoPromotionTheEvaluationCrownsWithItsEvidenceAndTheChampionChangedAddsNothing() {
        StudyState s = StudyFold.replay(List.of(ev.created(Direction.MINIMIZE, null, 10, 600, 2, 1),
                ev.proposed(proposal(1), 0, "random", List.of()),
                ev.proposed(proposal(2), 1, "random", List.of()),
                ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.5)));
        EventEnvelope evaluated = ev.evaluatedChampion(proposal(2), 0.4);
        s = StudyFold.evolve(s, evaluated);
        StudyState afterChange = StudyFold.evolve(s, ev.championChanged(evaluated, proposal(2), proposal(1), 0.4));

        assertThat(afterChange.championHistory()).isEqualTo(s.championHistory());
        ChampionEntry champion = afterChange.champion();
        assertThat(champion.proposalId()).isEqualTo(proposal(2));
        assertThat(champion.previousProposalId()).isEqualTo(proposal(1));
        assertThat(champion.at()).isEqualTo(evaluated.occurredAt());
        assertThat(champion.evidence().pValue()).isEqualTo(0.004);
        assertThat(champion.evidence().repeats()).isEqualTo(3);
        assertThat(champion.approvedBy()).isNull();
        assertThat(afterChange.candidates()).isEmpty();
    }

    @Test
    void controlsRecordWhoWhyAndWhenInArrivalOrder() {
        EventEnvelope paused = ev.paused();
        EventEnvelope resumed = ev.resumed();
        EventEnvelope halted = ev.halted();

        StudyState s = StudyFold.replay(List.of(ev.created(Direction.MINIMIZE, null, 5, 600, 1, 1), paused, resumed,
                halted, paused));

        assertThat(s.controls()).containsExactly(
                new Control(ControlAction.PAUSED, "alice", "maintenance", paused.occurredAt(), paused.eventId(), null),
                new Control(ControlAction.RESUMED, "alice", null, resumed.occurredAt(), resumed.eventId(), null),
                new Control(ControlAction.HALTED, "bob", "wrong metric", halted.occurredAt(), halted.eventId(), null));
    }

    @Test
    void lineageNodesCarryTheirLatestVerdictAndValue() {
        StudyState s = StudyFold.replay(List.of(ev.created(Direction.MINIMIZE, null, 10, 600, 2, 1),
                ev.proposed(proposal(1), 0, "random", List.of()),
                ev.proposed(proposal(2), 1, "mutate", List.of(proposal(1))),
                ev.proposed(proposal(3), 2, "mutate", List.of(proposal(1))),
                ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.5),
                ev.evaluated(proposal(2), Verdict.INVALID, null)));

        assertThat(s.lineage().values()).extracting(Lineage::proposalId, Lineage::verdict, Lineage::value)
                .containsExactly(
                        tuple(proposal(1), Verdict.NEW_CHAMPION, 0.5),
                        tuple(proposal(2), Verdict.INVALID, null),
                        tuple(proposal(3), null, null));
    }

    @Test
    void teamStreamEventsLeaveAStudyUntouched() {
        StudyState s = manualWithCandidate();

        assertThat(StudyFold.evolve(s, SampleEvents.teamQuotaSet())).isSameAs(s);
        assertThat(StudyFold.evolve(StudyState.EMPTY, SampleEvents.teamQuotaSet())).isSameAs(StudyState.EMPTY);
    }

    @Test
    void unchangedGovernanceListsAreSharedNotCopied() {
        StudyState s = StudyFold.evolve(manualWithCandidate(), ev.paused());
        StudyState next = StudyFold.evolve(s, ev.proposed(proposal(9), 5, "random", List.of()));

        assertThat(next.controls()).isSameAs(s.controls());
        assertThat(next.candidates()).isSameAs(s.candidates());
        assertThat(next.pendingApprovals()).isSameAs(s.pendingApprovals());
    }
}
