package dev.seedloop.learner.query.domain;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.seedloop.events.EventTypes;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.learner.domain.StudyStatus;
import dev.seedloop.learner.domain.WireNames;
import dev.seedloop.queries.Query;

/**
 * What makes a query answerable, checked before any read: the reply to a malformed query says what is
 * wrong instead of guessing. Page sizes above {@link Query#MAX_PAGE} are not errors, only capped.
 */
public final class QueryRules {

    private static final String STATUSES = Stream.of(StudyStatus.values()).filter(s -> s != StudyStatus.NEW)
            .map(WireNames::of).collect(Collectors.joining(", "));

    private QueryRules() {
    }

    /** Why the query cannot be answered, or null when it can. */
    public static String problem(Query query) {
        if (blank(query.team())) {
            return "team is required";
        }
        return switch (query) {
            case Query.GetStudy q -> studyProblem(q.studyId());
            case Query.GetLineage q -> {
                String problem = studyProblem(q.studyId());
                if (problem == null && q.offset() < 0) {
                    problem = "offset must be >= 0 but was " + q.offset();
                }
                yield problem == null && q.limit() != null ? limitProblem(q.limit()) : problem;
            }
            case Query.ListStudies q -> {
                if (q.status() != null && StudyStatus.fromView(q.status()).isEmpty()) {
                    yield "status must be one of " + STATUSES + " but was '" + q.status() + "'";
                }
                yield q.offset() < 0 ? "offset must be >= 0 but was " + q.offset() : limitProblem(q.limit());
            }
            case Query.GetEvents q -> {
                String problem = studyProblem(q.studyId());
                if (problem == null && q.afterSequence() < 0) {
                    problem = "afterSequence must be >= 0 but was " + q.afterSequence();
                }
                if (problem == null) {
                    problem = limitProblem(q.limit());
                }
                if (problem == null && q.types() != null) {
                    problem = q.types().stream().filter(t -> t == null || EventTypes.forName(t).isEmpty()).findFirst()
                            .map(t -> "unknown event type '" + t + "'").orElse(null);
                }
                yield problem;
            }
            case Query.GetExperimentLog q -> {
                String problem = studyProblem(q.studyId());
                yield problem == null && q.experimentId() == null ? "experimentId is required" : problem;
            }
            case Query.GetTeamUsage q -> q.dayStart() == null ? "dayStart is required" : null;
            case Query.GetStateAt q -> {
                String problem = studyProblem(q.studyId());
                if (problem == null && q.atSequence() != null && q.atTime() != null) {
                    problem = "give a sequence or a time, not both";
                }
                yield problem == null && q.atSequence() != null && q.atSequence() < 0
                        ? "atSequence must be >= 0 but was " + q.atSequence() : problem;
            }
            case Query.GetPostmortem q -> studyProblem(q.studyId());
            case Query.GetStudyCharts q -> {
                String problem = studyProblem(q.studyId());
                if (problem == null && q.atSequence() != null && q.atSequence() < 0) {
                    problem = "atSequence must be >= 0 but was " + q.atSequence();
                }
                yield problem == null && (q.points() < Query.MIN_CHART_POINTS || q.points() > Query.MAX_CHART_POINTS)
                        ? "points must be within [" + Query.MIN_CHART_POINTS + ", " + Query.MAX_CHART_POINTS
                        + "] but was " + q.points() : problem;
            }
            case Query.StudyExists q -> studyProblem(q.studyId());
            case Query.GetForkOrigin q -> {
                String problem = studyProblem(q.studyId());
                yield problem == null && q.atSequence() != null && q.atSequence() < 1
                        ? "a fork starts after an event: atSequence must be >= 1 but was " + q.atSequence() : problem;
            }
            case Query.AdmitStudy q -> {
                String problem = studyProblem(q.studyId());
                if (problem == null && TeamStreams.isTeamStream(q.studyId())) {
                    problem = "studyId must name a study, not the team stream " + q.studyId();
                }
                if (problem == null && q.requestedExperiments() < 1) {
                    problem = "requestedExperiments must be >= 1 but was " + q.requestedExperiments();
                }
                if (problem == null && (q.defaultMaxConcurrentStudies() < 0 || q.defaultMaxExperimentsPerDay() < 0)) {
                    problem = "default quotas must be >= 0";
                }
                yield problem;
            }
            case Query.Ping q -> null;
        };
    }

    /** A page size within bounds (call after {@link #problem} accepted the query). */
    public static int page(int limit) {
        return Math.min(limit, Query.MAX_PAGE);
    }

    private static String studyProblem(String studyId) {
        return blank(studyId) ? "studyId is required" : null;
    }

    private static String limitProblem(int limit) {
        return limit < 1 ? "limit must be >= 1 but was " + limit : null;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
