package dev.seedloop.learner.query.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventTypes;
import dev.seedloop.queries.Query;

class QueryRulesTest {

    private static final String TEAM = "team-a";

    @Test
    void wellFormedQueriesPass() {
        assertThat(List.<Query>of(
                new Query.GetStudy(TEAM, "s"),
                new Query.GetLineage(TEAM, "s", 0, 100),
                new Query.ListStudies(TEAM, null, 0, 50),
                new Query.ListStudies(TEAM, "halted", 10, 100_000),
                new Query.GetEvents(TEAM, "s", 0, 1, null),
                new Query.GetEvents(TEAM, "s", 7, 100, List.of(EventTypes.STUDY_CREATED)),
                new Query.GetExperimentLog(TEAM, "s", UUID.randomUUID()),
                new Query.GetTeamUsage(TEAM, Instant.EPOCH),
                new Query.GetStudyCharts(TEAM, "s", null, Query.MIN_CHART_POINTS),
                new Query.GetStudyCharts(TEAM, "s", 0L, Query.MAX_CHART_POINTS)))
                .allSatisfy(q -> assertThat(problem(q)).isNull());
    }

    @Test
    void eachMalformedQuerySaysWhatIsWrong() {
        assertThat(problem(new Query.GetStudy(" ", "s"))).isEqualTo("team is required");
        assertThat(problem(new Query.GetTeamUsage(null, Instant.EPOCH))).isEqualTo("team is required");
        assertThat(problem(new Query.GetStudy(TEAM, null))).isEqualTo("studyId is required");
        assertThat(problem(new Query.GetLineage(TEAM, "", 0, 100))).isEqualTo("studyId is required");
        assertThat(problem(new Query.GetLineage(TEAM, "s", -1, 100))).isEqualTo("offset must be >= 0 but was -1");
        assertThat(problem(new Query.GetLineage(TEAM, "s", 0, 0))).isEqualTo("limit must be >= 1 but was 0");
        assertThat(problem(new Query.GetForkOrigin(TEAM, "s", 0L)))
                .isEqualTo("a fork starts after an event: atSequence must be >= 1 but was 0");
        assertThat(problem(new Query.ListStudies(TEAM, "new", 0, 10)))
                .isEqualTo("status must be one of created, running, paused, halted, completed but was 'new'");
        assertThat(problem(new Query.ListStudies(TEAM, null, -1, 10))).isEqualTo("offset must be >= 0 but was -1");
        assertThat(problem(new Query.ListStudies(TEAM, null, 0, 0))).isEqualTo("limit must be >= 1 but was 0");
        assertThat(problem(new Query.GetEvents(TEAM, "s", -1, 10, null)))
                .isEqualTo("afterSequence must be >= 0 but was -1");
        assertThat(problem(new Query.GetEvents(TEAM, "s", 0, -5, null))).isEqualTo("limit must be >= 1 but was -5");
        assertThat(problem(new Query.GetEvents(TEAM, "s", 0, 5, List.of(EventTypes.STUDY_CREATED, "nope"))))
                .isEqualTo("unknown event type 'nope'");
        assertThat(problem(new Query.GetExperimentLog(TEAM, "s", null))).isEqualTo("experimentId is required");
        assertThat(problem(new Query.GetTeamUsage(TEAM, null))).isEqualTo("dayStart is required");
        assertThat(problem(new Query.AdmitStudy(TEAM, "team:" + TEAM, 10, 2, 100))).contains("team stream");
        assertThat(problem(new Query.AdmitStudy(TEAM, "s", 0, 2, 100)))
                .isEqualTo("requestedExperiments must be >= 1 but was 0");
        assertThat(problem(new Query.AdmitStudy(TEAM, "s", 10, 2, 100))).isNull();
        assertThat(problem(new Query.GetStudyCharts(TEAM, " ", null, 2000))).isEqualTo("studyId is required");
        assertThat(problem(new Query.GetStudyCharts(TEAM, "s", -1L, 2000)))
                .isEqualTo("atSequence must be >= 0 but was -1");
        assertThat(problem(new Query.GetStudyCharts(TEAM, "s", null, 9)))
                .isEqualTo("points must be within [10, 5000] but was 9");
        assertThat(problem(new Query.GetStudyCharts(TEAM, "s", null, 5001)))
                .isEqualTo("points must be within [10, 5000] but was 5001");
    }

    private static String problem(Query query) {
        return QueryRules.problem(query);
    }

    @Test
    void pagesAreCappedNotRefused() {
        assertThat(QueryRules.page(100_000)).isEqualTo(Query.MAX_PAGE);
        assertThat(QueryRules.page(7)).isEqualTo(7);
    }
}
