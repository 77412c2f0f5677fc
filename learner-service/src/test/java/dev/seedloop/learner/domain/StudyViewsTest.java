package dev.seedloop.learner.domain;

import static dev.seedloop.learner.domain.Events.evaluation;
import static dev.seedloop.learner.domain.Events.proposal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Direction;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.query.domain.StudyViews;
import dev.seedloop.queries.Views;

class StudyViewsTest {

    private final Events ev = new Events();

    @Test
    void aStudyViewShowsStatusBudgetChampionWithEvidencePendingCandidatesAndControls() {
        EventEnvelope created = ev.createdManual("alice");
        StudyState s = StudyFold.replay(List.of(created,
                ev.proposed(proposal(1), 0, "random", List.of()),
                ev.proposed(proposal(2), 1, "mutate", List.of(proposal(1))),
                ev.started(proposal(1)),
                ev.completed(proposal(1), 0.3),
                ev.evaluatedChampion(proposal(1), 0.3),
                ev.promotionRequested(proposal(1), 0.3, null)));
        EventEnvelope approval = ev.approved(proposal(1), "bob");
        EventEnvelope changed = ev.championChanged(approval, proposal(1), null, 0.3);
        EventEnvelope paused = ev.paused();
        for (EventEnvelope e : List.of(approval, changed, ev.evaluatedChampion(proposal(2), 0.2),
                ev.promotionRequested(proposal(2), 0.2, proposal(1)), paused)) {
            s = StudyFold.evolve(s, e);
        }

        Views.StudyView view = StudyViews.study(s);

        assertThat(view.id()).isEqualTo(Events.STUDY);
        assertThat(view.team()).isEqualTo(Events.TEAM);
        assertThat(view.name()).isEqualTo("s");
        assertThat(view.status()).isEqualTo("paused");
        assertThat(view.createdAt()).isEqualTo(created.occurredAt());
        assertThat(view.createdBy()).isEqualTo("alice");
        assertThat(view.strategy()).isEqualTo("evolutionary");
        assertThat(view.promotion()).isEqualTo("manual");
        assertThat(view.metric()).isEqualTo("loss");
        assertThat(view.direction()).isEqualTo("minimize");
        assertThat(view.budget()).isEqualTo(new Views.BudgetView(10, 2, 8, 2));
        assertThat(view.champion()).isEqualTo(new Views.ChampionView(proposal(1), evaluation(proposal(1)), 0.3,
                changed.occurredAt(), new Views.EvidenceView("beats the champion", 0.3, 0.3 - 0.02, 0.3 + 0.02, 3,
                0.004, true, 0.3 + 0.001), "bob"));
        assertThat(view.pendingApprovals()).singleElement().isEqualTo(new Views.CandidateView(proposal(2),
                evaluation(proposal(2)), 0.2, s.pendingApprovals().getFirst().requestedAt(), proposal(1)));
        assertThat(view.proposals()).isEqualTo(2);
        assertThat(view.experimentsCompleted()).isEqualTo(1);
        assertThat(view.experimentsFailed()).isZero();
        assertThat(view.evaluations()).isEqualTo(2);
        assertThat(view.lastSequence()).isEqualTo(12);
        assertThat(view.completionReason()).isNull();
        assertThat(view.controls()).containsExactly(
                new Views.ControlView("approved", "bob", "reviewed", approval.occurredAt()),
                new Views.ControlView("paused", "alice", "maintenance", paused.occurredAt()));
    }

    @Test
    void aStudyWithoutChampionOrCreatorShowsNulls() {
        StudyState s = StudyFold.replay(List.of(ev.created(Direction.MAXIMIZE, 0.9, 4, 600, 1, 1)));

        Views.StudyView view = StudyViews.study(s);

        assertThat(view.status()).isEqualTo("created");
        assertThat(view.promotion()).isEqualTo("auto");
        assertThat(view.direction()).isEqualTo("maximize");
        assertThat(view.createdBy()).isNull();
        assertThat(view.champion()).isNull();
        assertThat(view.pendingApprovals()).isEmpty();
        assertThat(view.controls()).isEmpty();
        assertThat(view.lastSequence()).isEqualTo(1);
    }

    @Test
    void theLineageViewListsChampionStepsAndTheParentTree() {
        StudyState s = StudyFold.replay(List.of(ev.created(Direction.MINIMIZE, null, 10, 600, 2, 1),
                ev.proposed(proposal(1), 0, "random", List.of()),
                ev.proposed(proposal(2), 1, "mutate", List.of(proposal(1))),
                ev.proposed(proposal(3), 2, "crossover", List.of(proposal(1), proposal(2))),
                ev.evaluated(proposal(1), Verdict.NEW_CHAMPION, 0.5)));
        EventEnvelope second = ev.evaluatedChampion(proposal(2), 0.4);
        s = StudyFold.evolve(s, second);

        Views.LineageView lineage = StudyViews.lineage(s);

        assertThat(lineage.champions()).extracting(Views.ChampionStepView::proposalId,
                Views.ChampionStepView::previousProposalId, Views.ChampionStepView::value).containsExactly(
                tuple(proposal(1), null, 0.5),
                tuple(proposal(2), proposal(1), 0.4));
        assertThat(lineage.champions().getLast().at()).isEqualTo(second.occurredAt());
        assertThat(lineage.nodes()).containsExactly(
                new Views.LineageNodeView(proposal(1), List.of(), "random", "new-champion", 0.5, null),
                new Views.LineageNodeView(proposal(2), List.of(proposal(1)), "mutate", "new-champion", 0.4, null),
                new Views.LineageNodeView(proposal(3), List.of(proposal(1), proposal(2)), "crossover", null, null, null));
    }

    @Test
    void aStudyNotCreatedHasNoView() {
        StudyState s = StudyFold.evolve(StudyState.EMPTY, ev.proposed(proposal(1), 0, "random", List.of()));

        assertThatThrownBy(() -> StudyViews.study(s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StudyViews.lineage(s)).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.visibleTo(Events.TEAM)).isFalse();
    }
}
