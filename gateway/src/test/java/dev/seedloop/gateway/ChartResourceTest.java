package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * {@code GET /api/v1/studies/{id}/charts} with real tokens: the query carries the token's team, the sequence and the
 * number of points asked (the defaults when absent); malformed ones are 400 problems that never reach the learner,
 * and the learner's not-found is a 404 problem.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ChartResourceTest {

    private static final String STUDY = "9b4a52c3-5a8e-4b8f-9b8e-2f0c6c1d7e11";
    private static final String PATH = "/api/v1/studies/" + STUDY + "/charts";
    private static final UUID PROPOSAL = UUID.fromString("627e852a-588c-8232-8c3c-1ed3afcc1c1e");
    private static final QueryCodec CODEC = new QueryCodec();

    static StandInLearner learner;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
        learner.otherwise(query -> query instanceof Query.GetStudyCharts get && get.studyId().equals(STUDY)
                && get.team().equals("team-a") ? CODEC.ok(view()) : QueryCodec.notFound("no study " + STUDY));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    private static Views.StudyChartsView view() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("learning_rate", 0.001);
        params.put("optimizer", "adam");
        Map<String, Integer> states = new LinkedHashMap<>();
        states.put("waiting", 0);
        states.put("running", 1);
        states.put("completed", 2);
        states.put("failed", 1);
        return new Views.StudyChartsView(STUDY, 22, "val_loss", "minimize", 3, 0,
                List.of(new Views.ChartPointView(1, PROPOSAL, 0.08, 0.07, 0.09, "new-champion", params)),
                List.of(new Views.ChampionPointView(1, PROPOSAL, 0.08, 0.07, 0.09, 11)), states,
                Map.of("crashed", 1), List.of(new Views.ParameterAxisView("optimizer", "categorical", null, null,
                        List.of("adam", "sgd"))));
    }

    @Test
    void aViewerGetsTheChartsAsOfTheSequenceAndPointsAsked() {
        given().auth().oauth2(Tokens.reused("alice-viewer")).queryParam("at", 17).queryParam("points", 100)
                .when().get(PATH)
                .then().statusCode(200).contentType("application/json")
                .body("sequence", equalTo(22))
                .body("points[0].index", equalTo(1))
                .body("points[0].proposalId", equalTo(PROPOSAL.toString()))
                .body("points[0].verdict", equalTo("new-champion"))
                .body("points[0].params.optimizer", equalTo("adam"))
                .body("champions[0].sequence", equalTo(11))
                .body("experimentsByState.running", equalTo(1))
                .body("failuresByReason.crashed", equalTo(1))
                .body("parameters[0].choices[1]", equalTo("sgd"));

        assertThat(learner.received(Query.GetStudyCharts.class))
                .contains(new Query.GetStudyCharts("team-a", STUDY, 17L, 100));
    }

    @Test
    void withoutParametersTheHeadWithTheDefaultNumberOfPoints() {
        given().auth().oauth2(Tokens.reused("alice-researcher")).when().get(PATH).then().statusCode(200);

        assertThat(learner.received(Query.GetStudyCharts.class))
                .contains(new Query.GetStudyCharts("team-a", STUDY, null, Query.DEFAULT_CHART_POINTS));
    }

    @Test
    void malformedParametersAreProblemsThatNeverReachTheLearner() {
        int before = learner.received(Query.GetStudyCharts.class).size();
        for (Map<String, String> query : List.of(Map.of("points", "9"), Map.of("points", "5001"),
                Map.of("points", "many"), Map.of("at", "-1"), Map.of("at", "yesterday"))) {
            given().auth().oauth2(Tokens.reused("alice-viewer")).queryParams(query).when().get(PATH)
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString(query.keySet().iterator().next() + " must be"));
        }
        assertThat(learner.received(Query.GetStudyCharts.class)).hasSize(before);
    }

    @Test
    void anotherTeamsStudyIsNotFound() {
        given().auth().oauth2(Tokens.reused("bob-viewer")).when().get(PATH)
                .then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no study " + STUDY));

        assertThat(learner.received(Query.GetStudyCharts.class)).extracting(Query::team).contains("team-b");
    }
}
