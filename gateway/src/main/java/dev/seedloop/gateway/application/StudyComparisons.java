package dev.seedloop.gateway.application;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.gateway.domain.Baselines;
import dev.seedloop.gateway.domain.StudyComparison;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Uni;

/**
 * Reads two studies of a team from the learner (as the team: another team's study is 404 like a missing one) and
 * compares them ({@link StudyComparison}); finds a study's baseline by its derived id ({@link Baselines#idOf}).
 */
@ApplicationScoped
public class StudyComparisons {

    @Inject
    LearnerQueries queries;

    @Inject
    EventCodec codec;

    /** {@code studyId} against {@code otherId}; both must be the team's. */
    public Uni<StudyComparison.Result> compare(String team, String studyId, String otherId) {
        return side(team, studyId).chain(study -> side(team, otherId)
                .map(other -> StudyComparison.compare(study, other)));
    }

    /** {@code studyId} against its baseline; null when it has none (yet). */
    public Uni<StudyComparison.Result> againstBaseline(String team, String studyId) {
        String baselineId = Baselines.idOf(studyId);
        return queries.study(team, baselineId)
                .map(view -> true)
                .onFailure(NotFoundException.class).recoverWithItem(false)
                .chain(exists -> exists ? compare(team, studyId, baselineId) : Uni.createFrom().nullItem());
    }

    private Uni<StudyComparison.Side> side(String team, String studyId) {
        return queries.study(team, studyId).chain(view -> queries
                .events(team, studyId, 0, 1, List.of(EventTypes.STUDY_CREATED))
                .chain(created -> queries.lineage(team, studyId, 0, 1)
                        .map(lineage -> side(view, created, lineage))));
    }

    private StudyComparison.Side side(Views.StudyView view, Views.EventPage created, Views.LineageView lineage) {
        String strategy = view.strategy();
        if (!created.items().isEmpty()
                && codec.decode(created.items().getFirst().event().toString()).payload() instanceof StudyCreated c) {
            strategy = Baselines.strategyLabel(c.strategy(), c.strategyOptions());
        }
        Views.ChampionView champion = view.champion();
        StudyComparison.Best best = champion == null ? null : new StudyComparison.Best(champion.value(),
                champion.evidence() == null ? null : champion.evidence().ciLow(),
                champion.evidence() == null ? null : champion.evidence().ciHigh());
        Double first = lineage.champions().isEmpty() ? null : lineage.champions().getFirst().value();
        Views.ModelSpendView spend = view.modelSpend();
        return StudyComparison.side(view.id(), view.name(), strategy, view.status(), view.metric(), view.direction(),
                view.budget() == null ? 0 : view.budget().maxExperiments(), view.evaluations(), best, first,
                spend == null ? 0 : spend.calls(), spend == null ? 0 : spend.costUsd());
    }
}
