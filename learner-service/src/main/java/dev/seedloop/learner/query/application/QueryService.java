package dev.seedloop.learner.query.application;

import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.seedloop.events.EventTypes;
import dev.seedloop.learner.application.Admissions;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.application.StudyReplay;
import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.domain.ForkOrigin;
import dev.seedloop.learner.query.domain.QueryRules;
import dev.seedloop.learner.query.domain.ReplySize;
import dev.seedloop.learner.domain.StudyState;
import dev.seedloop.learner.domain.StudyStatus;
import dev.seedloop.learner.domain.WireNames;
import dev.seedloop.learner.projection.application.StateJson;
import dev.seedloop.learner.projection.persistence.ReadModels;
import dev.seedloop.learner.projection.persistence.StudySummaryEntity;
import dev.seedloop.learner.projection.persistence.TeamQuotaEntity;
import dev.seedloop.learner.query.domain.ExperimentLogs;
import dev.seedloop.learner.query.domain.StudyViews;
import dev.seedloop.learner.store.persistence.EventStore;
import dev.seedloop.learner.projection.application.JsonEncodedSize;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.StateAtView;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Uni;

/**
 * Answers the gateway's queries from the learner's projections: a study's folded state (the same one the
 * learner decides with), the read-model tables and the store. A study of another team is answered exactly
 * like a study that does not exist. Reads only, each in its own session, never in the recording transaction.
 */
@ApplicationScoped
public class QueryService {

    @Inject
    Clock clock;

    @Inject
    EventRecorder recorder;

    @Inject
    EventStore store;

    @Inject
    ReadModels readModels;

    @Inject
    QueryCodec codec;

    @Inject
    StudyReplay replay;

    @Inject
    Postmortems postmortems;

    @Inject
    StudyCharts charts;

    @Inject
    Admissions admissions;

    @Inject
    LearnerConfig config;

    /** An ok reply with an empty page, as encoded: what a page's items come on top of. */
    private int emptyPageBytes;

    @PostConstruct
    void measureEmptyPage() {
        emptyPageBytes = codec.encode(codec.ok(new Views.EventPage(List.of(), true))).length;
    }

    /** Never fails for a malformed query ({@code invalid}); a failed read fails the Uni. */
    public Uni<QueryReply> answer(Query query) {
        String problem = QueryRules.problem(query);
        if (problem != null) {
            return Uni.createFrom().item(QueryCodec.invalid(problem));
        }
        return switch (query) {
            case Query.GetStudy q -> folded(q.team(), q.studyId(), StudyViews::study);
            case Query.GetLineage q -> folded(q.team(), q.studyId(),
                    s -> StudyViews.lineage(s, q.offset(), q.pageSize()));
            case Query.ListStudies q -> studies(q);
            case Query.GetEvents q -> owned(q.team(), q.studyId(), () -> events(q));
            case Query.GetExperimentLog q -> owned(q.team(), q.studyId(), () -> store.experiment(q.studyId(),
                            q.experimentId())
                    .map(events -> ExperimentLogs.view(q.experimentId(), events).map(codec::ok)
                            .orElseGet(() -> QueryCodec.notFound("no experiment " + q.experimentId() + " in study "
                                    + q.studyId()))));
            case Query.GetTeamUsage q -> usage(q);
            case Query.GetStateAt q -> owned(q.team(), q.studyId(), () -> stateAt(q));
            case Query.GetPostmortem q -> owned(q.team(), q.studyId(), () -> postmortems.of(q.studyId()).map(codec::ok));
            case Query.GetStudyCharts q -> owned(q.team(), q.studyId(),
                    () -> charts.of(q.studyId(), q.atSequence(), q.points()).map(codec::ok));
            case Query.StudyExists q -> readModels.teamOf(q.studyId())
                    .map(owner -> codec.ok(new Views.ExistsView(owner != null)));
            case Query.GetForkOrigin q -> owned(q.team(), q.studyId(), () -> forkOrigin(q));
            case Query.Ping q -> Uni.createFrom().item(codec.ok(new Views.PongView(clock.instant())));
            case Query.AdmitStudy q -> admissions.admit(q).map(codec::ok);
        };
    }

    private Uni<QueryReply> folded(String team, String studyId, Function<StudyState, Object> view) {
        return recorder.state(studyId).map(folded -> folded.study().visibleTo(team)
                ? codec.ok(view.apply(folded.study()))
                : noStudy(studyId));
    }

    /** Runs {@code read} only for a study the team owns: the summary row names the owner. */
    private Uni<QueryReply> owned(String team, String studyId, Supplier<Uni<QueryReply>> read) {
        return readModels.teamOf(studyId).chain(owner -> team.equals(owner) ? read.get()
                : Uni.createFrom().item(noStudy(studyId)));
    }

    private static QueryReply noStudy(String studyId) {
        return QueryCodec.notFound("no study " + studyId);
    }

    private Uni<QueryReply> studies(Query.ListStudies q) {
        int limit = QueryRules.page(q.limit());
        return readModels.studies(q.team(), q.status(), q.offset(), limit).map(page -> codec.ok(new Views.StudyPage(
                page.rows().stream().map(QueryService::summary).toList(), q.offset(), limit, page.total())));
    }

    private static Views.StudySummaryView summary(StudySummaryEntity row) {
        return new Views.StudySummaryView(row.studyId, row.name, row.status, row.createdAt, row.createdBy,
                row.budgetUsed, row.maxExperiments, row.championValue);
    }

    /**
     * A page as long as asked and as the reply budget allows: the sizes of the candidate events are read first, so
     * only the envelopes that fit are read. One candidate past the page says whether there is more.
     */
    private Uni<QueryReply> events(Query.GetEvents q) {
        int limit = QueryRules.page(q.limit());
        List<String> types = q.types() == null ? List.of() : q.types();
        return store.sizes(q.studyId(), q.afterSequence(), limit + 1, types)
                .chain(sizes -> {
                    ReplySize.Cut cut = ReplySize.page(sizes, limit, emptyPageBytes,
                            config.queries().maxReplyBytes());
                    if (cut.count() == 0) {
                        return Uni.createFrom().item(codec.ok(new Views.EventPage(List.of(), false)));
                    }
                    // Stored events never change, so the same filter returns the same first rows again.
                    return store.page(q.studyId(), q.afterSequence(), cut.count(), types)
                            .map(rows -> codec.ok(new Views.EventPage(rows.stream()
                                    .map(row -> new Views.StoredEventView(row.studySequence(), codec.tree(row.json())))
                                    .toList(), cut.more())));
                });
    }

    /**
     * Lineage nodes in a state-at reply, the latest ones: the reply stays bounded however long the study (a
     * million-event study's whole state is ~35 MB of JSON); the lineage query pages through all of them.
     */
    static final int STATE_LINEAGE_NODES = 1000;

    /** At most one of sequence and time is set (QueryRules); neither means the head. */
    private Uni<QueryReply> stateAt(Query.GetStateAt q) {
        Uni<StudyReplay.Replayed> replayed = q.atSequence() != null ? replay.atSequence(q.studyId(), q.atSequence())
                : q.atTime() != null ? replay.atTime(q.studyId(), q.atTime())
                : replay.head(q.studyId());
        return replayed.map(r -> codec.ok(new StateAtView(q.studyId(), r.sequence(), r.recordedAt(),
                r.snapshotSequence(), codec.tree(StateJson.write(r.state().study(), r.state().strategy(),
                        STATE_LINEAGE_NODES)))));
    }

    /** Folded from the store up to the fork point, like a state-at query (snapshots make it cheap). */
    private Uni<QueryReply> forkOrigin(Query.GetForkOrigin q) {
        Uni<StudyReplay.Replayed> replayed = q.atSequence() == null ? replay.head(q.studyId())
                : replay.atSequence(q.studyId(), q.atSequence());
        return replayed.map(r -> q.atSequence() != null && r.sequence() < q.atSequence()
                ? QueryCodec.invalid("study " + q.studyId() + " has " + r.sequence() + " events; it cannot be forked at "
                        + q.atSequence())
                : codec.ok(ForkOrigin.from(r.state().study(), r.sequence(), JsonEncodedSize.INSTANCE)));
    }

    private Uni<QueryReply> usage(Query.GetTeamUsage q) {
        List<String> active = StudyStatus.ACTIVE.stream().map(WireNames::of).toList();
        return readModels.quota(q.team()).chain(quota -> readModels.countStudies(q.team(), active)
                .chain(studies -> store.countSince(q.team(), EventTypes.EXPERIMENT_STARTED, q.dayStart())
                        .map(experiments -> codec.ok(usage(q.team(), quota, studies, experiments)))));
    }

    private static Views.TeamUsageView usage(String team, TeamQuotaEntity quota, long studies, long experiments) {
        return new Views.TeamUsageView(team, quota == null ? null : quota.maxConcurrentStudies,
                quota == null ? null : quota.maxExperimentsPerDay, Math.toIntExact(studies),
                Math.toIntExact(experiments), quota == null ? null : quota.setBy, quota == null ? null : quota.setAt);
    }

    /** The query JSON mapping is thread-safe: one per service. */
    @Produces
    @Singleton
    static QueryCodec queryCodec() {
        return new QueryCodec();
    }
}
