package dev.seedloop.queries;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A read of the learner's projections on behalf of one team. JSON: {@code {"query": "<name>", ...}}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "query")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Query.GetStudy.class, name = "get-study"),
        @JsonSubTypes.Type(value = Query.ListStudies.class, name = "list-studies"),
        @JsonSubTypes.Type(value = Query.GetEvents.class, name = "get-events"),
        @JsonSubTypes.Type(value = Query.GetLineage.class, name = "get-lineage"),
        @JsonSubTypes.Type(value = Query.GetExperimentLog.class, name = "get-experiment-log"),
        @JsonSubTypes.Type(value = Query.GetTeamUsage.class, name = "get-team-usage"),
        @JsonSubTypes.Type(value = Query.GetStateAt.class, name = "get-state-at"),
        @JsonSubTypes.Type(value = Query.GetPostmortem.class, name = "get-postmortem"),
        @JsonSubTypes.Type(value = Query.GetStudyCharts.class, name = "get-study-charts"),
        @JsonSubTypes.Type(value = Query.StudyExists.class, name = "study-exists"),
        @JsonSubTypes.Type(value = Query.GetForkOrigin.class, name = "get-fork-origin"),
        @JsonSubTypes.Type(value = Query.AdmitStudy.class, name = "admit-study"),
        @JsonSubTypes.Type(value = Query.Ping.class, name = "ping")})
public sealed interface Query {

    /** Most items one page may hold, whatever a caller asks for. */
    int MAX_PAGE = 500;

    String team();

    /** Answer: {@link StudyView}. */
    record GetStudy(String team, String studyId) implements Query {
    }

    /** Answer: {@link StudyPage}, newest first. {@code status} filters when not null (e.g. "running"). */
    record ListStudies(String team, String status, int offset, int limit) implements Query {
    }

    /**
     * Answer: {@link EventPage} of events with study sequence greater than {@code afterSequence}, in sequence
     * order. {@code types} filters by logical type name when not empty.
     */
    record GetEvents(String team, String studyId, long afterSequence, int limit, java.util.List<String> types)
            implements Query {
    }

    /** Most lineage nodes one page may hold: nodes are small, and a whole small study fits in one. */
    int MAX_LINEAGE_PAGE = 5000;

    /**
     * Answer: {@link LineageView}: the whole champion history and the parent tree's nodes {@code offset ..
     * offset + limit - 1} in arrival order (a study of a million events has some 100 000). {@code limit} null
     * means {@link #MAX_LINEAGE_PAGE}, which is also what a gateway from before paging gets.
     */
    record GetLineage(String team, String studyId, int offset, Integer limit) implements Query {

        public int pageSize() {
            return limit == null ? MAX_LINEAGE_PAGE : Math.min(limit, MAX_LINEAGE_PAGE);
        }
    }

    /** Answer: {@link ExperimentLogView}. */
    record GetExperimentLog(String team, String studyId, java.util.UUID experimentId) implements Query {
    }

    /** Answer: {@link TeamUsageView}, counting experiments started at or after {@code dayStart}. */
    record GetTeamUsage(String team, java.time.Instant dayStart) implements Query {
    }

    /**
     * Answer: {@link StateAtView}: the study's folded state (study and strategy) after the last event with
     * study sequence {@code <= atSequence}, or recorded at or before {@code atTime}; at most one of the two
     * is set, neither means the head.
     */
    record GetStateAt(String team, String studyId, Long atSequence, java.time.Instant atTime) implements Query {
    }

    /**
     * Answer: {@link ExistsView}: whether any team's study has this id. Deliberately not team-scoped, for one
     * use only: refusing an import whose event ids this installation already holds. It reveals no more than
     * the importer's own file does (study ids are unguessable UUIDs).
     */
    record StudyExists(String team, String studyId) implements Query {
    }

    /** Answer: {@link PostmortemView}. */
    record GetPostmortem(String team, String studyId) implements Query {
    }

    /** Fewest points a charts answer may be asked for. */
    int MIN_CHART_POINTS = 10;

    /** Most points a charts answer may hold: 5000 points with a few parameters stay within the reply budget. */
    int MAX_CHART_POINTS = 5000;

    /** Points a charts answer holds when the caller names no number. */
    int DEFAULT_CHART_POINTS = 2000;

    /**
     * Answer: {@link Views.StudyChartsView}: the study's evaluations, champions, experiments per state, failures by
     * reason and search space, aggregated from its events up to study sequence {@code atSequence} (null: its head),
     * with at most {@code points} evaluation points ({@link #MIN_CHART_POINTS} .. {@link #MAX_CHART_POINTS}).
     */
    record GetStudyCharts(String team, String studyId, Long atSequence, int points) implements Query {
    }

    /**
     * Answer: {@link dev.seedloop.events.StudyOrigin}: what a fork of the study at study sequence
     * {@code atSequence} (null: its head) inherits. {@code invalid} when the study has fewer events.
     */
    record GetForkOrigin(String team, String studyId, Long atSequence) implements Query {
    }

    /**
     * Answer: {@link Views.AdmissionView}. Admission of a new study (or fork) {@code studyId} against its team's
     * quotas, decided by the learner alone: when it admits, it holds a place for the study until its StudyCreated
     * is stored or the reservation expires, so creations racing each other cannot all pass. The defaults are the
     * operator's, in force where the team's admin set no quota. Asking again for the same study id answers the
     * same admission (a retried request holds one place).
     */
    record AdmitStudy(String team, String studyId, int requestedExperiments, int defaultMaxConcurrentStudies,
                      int defaultMaxExperimentsPerDay) implements Query {
    }

    /**
     * Answer: {@link Views.PongView}. Costs the learner nothing; tells the asker the whole round trip (its request
     * topic, the learner's consumer, the reply topic and its own reply consumer) works.
     */
    record Ping(String team) implements Query {
    }
}
