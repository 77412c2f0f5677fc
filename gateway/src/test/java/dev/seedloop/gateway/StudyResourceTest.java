package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** Creating a study over HTTP puts exactly one StudyCreated on the real broker; bad specs put none. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class StudyResourceTest {

    private static final String VALID = """
            {"name": "bin packing %s",
             "objective": {"metric": "excess_bins", "direction": "minimize"},
             "searchSpace": [
               {"name": "alpha", "kind": "float", "low": 0.0, "high": 1.0},
               {"name": "fit", "kind": "categorical", "choices": ["best", "first"]}],
             "budget": {"maxExperiments": 20, "maxWallSeconds": 600, "parallelism": 2},
             "seed": 7}
            """;

    @Inject
    EventCodec codec;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aValidSpecCreatesTheStudyOnTheStudiesTopic() {
        String studyId = given().contentType(ContentType.JSON).header("X-Seedloop-Team", "team-a")
                .body(VALID.formatted("a"))
                .when().post("/api/v1/studies")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/studies/"))
                .body("team", equalTo("team-a"))
                .body("strategy", equalTo("random"))
                .body("seed", equalTo(7))
                .extract().path("studyId");

        var records = KafkaTopics.awaitRecords(Topics.STUDIES, r -> studyId.equals(r.key()), 1, Duration.ofSeconds(30));
        EventEnvelope event = codec.decode(records.getFirst().value());
        assertThat(event.studyId()).isEqualTo(studyId);
        assertThat(event.team()).isEqualTo("team-a");
        assertThat(event.causationId()).isNull();
        StudyCreated created = (StudyCreated) event.payload();
        assertThat(created.name()).isEqualTo("bin packing a");
        assertThat(created.budget().parallelism()).isEqualTo(2);
        assertThat(created.searchSpace().parameters()).hasSize(2);
        assertThat(created.specSha256()).startsWith("sha256:");
    }

    @Test
    void anInvalidSpecIsRefusedWithEveryProblemAndItsPath() {
        given().contentType(ContentType.JSON).header("X-Seedloop-Team", "team-a")
                .body("""
                        {"name": "", "objective": {"metric": "m", "direction": "sideways"},
                         "searchSpace": [{"name": "x", "kind": "float", "low": 2, "high": 1},
                                         {"name": "x", "kind": "categorical"}],
                         "budget": {"maxExperiments": 5, "maxWallSeconds": 60, "parallelism": 0}}
                        """)
                .when().post("/api/v1/studies")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.path", containsInAnyOrder("name", "objective.direction", "searchSpace[0].high",
                        "searchSpace[1].name", "searchSpace[1].choices", "budget.parallelism"))
                .body("errors.message", hasItems("must be >= 1"));
    }

    @Test
    void malformedJsonAndAMissingTeamAreProblemsToo() {
        given().contentType(ContentType.JSON).header("X-Seedloop-Team", "team-a").body("{\"name\": ")
                .when().post("/api/v1/studies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Unreadable request body"));
        given().contentType(ContentType.JSON).body(VALID.formatted("b"))
                .when().post("/api/v1/studies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("header X-Seedloop-Team"));
    }
}
