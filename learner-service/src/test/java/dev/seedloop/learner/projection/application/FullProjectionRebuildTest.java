package dev.seedloop.learner.projection.application;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.learner.StudyScript;
import dev.seedloop.learner.application.EventRecorder;
import dev.seedloop.learner.projection.persistence.ReadModels;
import dev.seedloop.learner.projection.persistence.StudySummaryEntity;
import dev.seedloop.learner.projection.persistence.TeamQuotaEntity;
import dev.seedloop.learner.query.application.QueryService;
import dev.seedloop.learner.store.persistence.EventStore;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code POST /internal/projections/rebuild} drops the read models, the snapshots and the recorder's cached
 * states and derives them again from the store: what was right comes back the same, what was wrong (a row
 * edited by hand, a cache that missed an event) comes back right.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class FullProjectionRebuildTest {

    @Inject
    EventRecorder recorder;

    @Inject
    EventStore store;

    @Inject
    ReadModels readModels;

    @Inject
    QueryService queries;

    @Inject
    Pool pool;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void rebuildDerivesEveryProjectionAgainAndCorrectsWhatWasWrong() throws Throwable {
        String team = "projections-" + UUID.randomUUID();
        Instant now = Instant.now();
        // 16 events: snapshots (every 5 in tests) at 5, 10 and 15.
        StudyScript kept = new StudyScript(team, now);
        List<EventEnvelope> keptEvents = new ArrayList<>(List.of(kept.created(PromotionPolicy.MANUAL, "alice").event()));
        kept.manualPromotionRun().forEach(sent -> keptEvents.add(sent.event()));
        StudyScript tampered = new StudyScript(team, now);
        // Another team: the team-wide answers compared below must not include the study that changes.
        String otherTeam = "projections-" + UUID.randomUUID();
        StudyScript missed = new StudyScript(otherTeam, now);
        join(() -> recorder.record(keptEvents));
        join(() -> recorder.record(List.of(tampered.created(PromotionPolicy.AUTO, "bob").event(),
                tampered.proposed(0, "random", List.of()).event(), tampered.started(0).event(),
                tampered.evaluatedChampion(0, 0.3).event())));
        join(() -> recorder.record(List.of(missed.created(PromotionPolicy.AUTO, "carol").event(),
                missed.proposed(0, "random", List.of()).event(), missed.started(0).event(),
                StudyScript.quota(team, 2, 9, "old-admin", now), StudyScript.quota(team, 4, 12, "admin", now))));
        await().atMost(Duration.ofSeconds(30)).until(() -> snapshots(kept.studyId) == 3);

        Map<String, StudySummaryEntity> rowsBefore = summaries(team);
        StudySummaryEntity missedBefore = summaries(otherTeam).get(missed.studyId);
        TeamQuotaEntity quotaBefore = join(() -> readModels.quota(team));
        Map<String, QueryReply> answersBefore = answers(team, kept.studyId, tampered.studyId);

        // Wrong on purpose: a row edited by hand, and an event stored behind the recorder's back, so that its
        // cached state and the summary row both miss it.
        pool.preparedQuery("update study_summary set status = 'halted', budget_used = 99 where study_id = $1")
                .execute(Tuple.of(tampered.studyId)).await().indefinitely();
        join(() -> store.append(List.of(missed.paused("dave", "budget review").event())));
        assertThat(summaries(team).get(tampered.studyId).status).isEqualTo("halted");
        assertThat(studyView(otherTeam, missed.studyId).path("status").asText())
                .as("the cache serves what it folded before").isEqualTo("running");

        given().when().post("/internal/projections/rebuild")
                .then().statusCode(200)
                .body("studies", greaterThanOrEqualTo(3))
                .body("teamQuotas", greaterThanOrEqualTo(1))
                .body("summariesDropped", greaterThanOrEqualTo(3))
                .body("snapshotsDropped", greaterThanOrEqualTo(3))
                .body("eventsRead", greaterThanOrEqualTo(keptEvents.size() + 4 + 4 + 2))
                .body("elapsedMs", greaterThanOrEqualTo(0));

        assertThat(snapshots(kept.studyId)).as("dropped, and not written again until a replay passes them")
                .isZero();
        Map<String, StudySummaryEntity> rowsAfter = summaries(team);
        assertThat(rowsAfter.get(kept.studyId)).usingRecursiveComparison().ignoringFields("updatedAt")
                .isEqualTo(rowsBefore.get(kept.studyId));
        assertThat(rowsAfter.get(tampered.studyId)).as("recomputed, not kept").usingRecursiveComparison()
                .ignoringFields("updatedAt").isEqualTo(rowsBefore.get(tampered.studyId));
        StudySummaryEntity missedAfter = summaries(otherTeam).get(missed.studyId);
        assertThat(missedAfter.status).isEqualTo("paused");
        assertThat(missedAfter.lastSequence).isEqualTo(missedBefore.lastSequence + 1);
        assertThat(join(() -> readModels.quota(team))).usingRecursiveComparison().isEqualTo(quotaBefore);
        assertThat(quotaBefore.maxConcurrentStudies).as("the latest setting").isEqualTo(4);

        assertThat(answers(team, kept.studyId, tampered.studyId)).isEqualTo(answersBefore);
        assertThat(studyView(otherTeam, missed.studyId).path("status").asText()).isEqualTo("paused");
        // Snapshots come back lazily: the state-at replays above passed 5, 10 and 15 and left one at 15.
        await().atMost(Duration.ofSeconds(30)).until(() -> snapshots(kept.studyId) == 1);
    }

    @Test
    void errorsOfTheInternalEndpointsAreProblemDetails() {
        given().when().get("/internal/studies/" + UUID.randomUUID() + "/state")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("title", equalTo("Not Found"));
    }

    /** What the gateway would be told about the team and two of its studies. */
    private Map<String, QueryReply> answers(String team, String first, String second) throws Throwable {
        Map<String, QueryReply> answers = new LinkedHashMap<>();
        answers.put("list", answer(new Query.ListStudies(team, null, 0, 50)));
        answers.put("usage", answer(new Query.GetTeamUsage(team, Instant.now().truncatedTo(ChronoUnit.DAYS))));
        for (String study : List.of(first, second)) {
            answers.put("study " + study, answer(new Query.GetStudy(team, study)));
            answers.put("lineage " + study, answer(new Query.GetLineage(team, study, 0, Query.MAX_LINEAGE_PAGE)));
            QueryReply head = answer(new Query.GetStateAt(team, study, null, null));
            // Where the fold started depends on the snapshots there are, which the rebuild drops; not the answer.
            ((ObjectNode) head.body()).remove("snapshotSequence");
            answers.put("state " + study, head);
        }
        answers.values().forEach(reply -> assertThat(reply.outcome()).isEqualTo(QueryReply.Outcome.OK));
        return answers;
    }

    private com.fasterxml.jackson.databind.JsonNode studyView(String team, String study) throws Throwable {
        return answer(new Query.GetStudy(team, study)).body();
    }

    private QueryReply answer(Query query) throws Throwable {
        return join(() -> queries.answer(query));
    }

    private Map<String, StudySummaryEntity> summaries(String team) throws Throwable {
        Map<String, StudySummaryEntity> rows = new LinkedHashMap<>();
        join(() -> readModels.studies(team, null, 0, 50)).rows().forEach(row -> rows.put(row.studyId, row));
        return rows;
    }

    private long snapshots(String study) {
        return pool.preparedQuery("select count(*) from study_snapshot where study_id = $1").execute(Tuple.of(study))
                .await().indefinitely().iterator().next().getLong(0);
    }

    private static <T> T join(Supplier<Uni<T>> work) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(work);
    }
}
