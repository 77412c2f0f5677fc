package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.Topics;
import dev.seedloop.gateway.domain.StudySpecValidator;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import dev.seedloop.testsupport.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** Creating a study over HTTP puts exactly one StudyCreated on the real broker; bad specs put none. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
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

    static StandInLearner learner;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
    }

    @AfterAll
    static void stopLearner() throws InterruptedException {
        learner.close();
    }

    @Test
    void aValidSpecCreatesTheStudyOnTheStudiesTopic() {
        // A caller's trace goes on in the study it creates, and so into everything the study's loop does (ADR 0028).
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String studyId = given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("alice-researcher"))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .body(VALID.formatted("a"))
                .when().post("/api/v1/studies")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/studies/"))
                .body("team", equalTo("team-a"))
                .body("strategy", equalTo("default"))
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
        var traceparent = records.getFirst().headers().lastHeader("traceparent");
        assertThat(traceparent).as("StudyCreated's trace context").isNotNull();
        assertThat(new String(traceparent.value(), StandardCharsets.UTF_8)).startsWith("00-" + traceId + "-");
        // The admission was a read of the learner: timed, by query kind and outcome.
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("seedloop_gateway_queries_seconds_count{outcome=\"ok\",query=\"AdmitStudy\"}"))
                .body(containsString("seedloop_events_published_total{type=\"seedloop.study.created\"}"));
    }

    @Test
    void aYamlSpecWithAnExperimentCarriesItsWorkspaceTreeAndDefaults(@TempDir Path workspace) throws Exception {
        Files.writeString(workspace.resolve("run.sh"), "echo '{\"loss\": 1}'\n");
        String tree = Uploads.upload("bob-researcher", Uploads.tarGz(workspace), "application/gzip");
        String yaml = """
                name: yaml study
                objective: {metric: loss, direction: minimize, target: 0.5}
                workspace: "%s"
                searchSpace:
                  - {name: x, kind: int, low: 1, high: 9}
                experiment:
                  command: [sh, run.sh]
                  repeats: 3
                validation:
                  command: [sh, -c, "test -f run.sh"]
                  heldOut: {command: [sh, run.sh], metric: loss, tolerance: 0.1}
                protectedPaths: [run.sh]
                budget: {maxExperiments: 6}
                """.formatted(tree);
        String studyId = given().contentType("application/yaml").auth().oauth2(Tokens.reused("bob-researcher")).body(yaml.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/studies")
                .then().statusCode(201).body("strategy", equalTo("default"))
                .extract().path("studyId");

        var records = KafkaTopics.awaitRecords(Topics.STUDIES, r -> studyId.equals(r.key()), 1, Duration.ofSeconds(30));
        StudyCreated created = (StudyCreated) codec.decode(records.getFirst().value()).payload();
        assertThat(created.workspace().tree()).isEqualTo(tree);
        assertThat(created.workspace().location()).isNull();
        assertThat(created.experiment().command()).containsExactly("sh", "run.sh");
        assertThat(created.experiment().repeats()).isEqualTo(3);
        assertThat(created.experiment().timeoutSeconds()).isEqualTo(StudySpecValidator.DEFAULT_TIMEOUT_SECONDS);
        assertThat(created.validation().heldOutMetric()).isEqualTo("loss");
        assertThat(created.validation().tolerance()).isEqualTo(0.1);
        assertThat(created.protectedPaths()).containsExactly("run.sh");
        assertThat(created.budget().parallelism()).isEqualTo(1);
        assertThat(created.specSha256()).isEqualTo(ContentHash.sha256(yaml));
    }

    @Test
    void aMissingWorkspaceAndUnknownFieldsAreReportedWithTheirPaths() {
        given().contentType("application/yaml").auth().oauth2(Tokens.reused("alice-researcher"))
                .body(utf8("""
                        name: broken
                        objective: {metric: loss, direction: minimize}
                        workspace: /no/such/dir
                        searchSpace: [{name: x, kind: float, low: 0, high: 1}]
                        experiment: {command: [sh, run.sh], colour: blue}
                        budget: {maxExperiments: 2}
                        """))
                .when().post("/api/v1/studies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.path", containsInAnyOrder("experiment.colour"))
                .body("errors[0].message", equalTo("is not a known field"));
        given().contentType("application/yaml").auth().oauth2(Tokens.reused("alice-researcher"))
                .body(utf8("""
                        name: broken
                        objective: {metric: loss, direction: minimize}
                        workspace: /no/such/dir
                        searchSpace: [{name: x, kind: float, low: 0, high: 1}]
                        experiment: {command: [sh, run.sh]}
                        budget: {maxExperiments: 2}
                        """))
                .when().post("/api/v1/studies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.path", containsInAnyOrder("workspace"))
                .body("errors[0].message", containsString("a server path is no longer accepted"));
    }

    @Test
    void anInvalidSpecIsRefusedWithEveryProblemAndItsPath() {
        given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("alice-researcher"))
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
                .body("errors.find { it.path == 'budget.parallelism' }.message", equalTo("must be >= 1 (was 0)"));
    }

    @Test
    void everyFieldThatFeedsTheStudysEventIsBoundedWithItsPath() {
        String manyChoices = java.util.stream.IntStream.range(0, 300).mapToObj(i -> "\"c" + i + "\"")
                .collect(java.util.stream.Collectors.joining(","));
        String longOption = "x".repeat(2_000);
        String manyPaths = java.util.stream.IntStream.range(0, 300).mapToObj(i -> "\"p" + i + "\"")
                .collect(java.util.stream.Collectors.joining(","));
        given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("alice-researcher"))
                .body("""
                        {"name": "bounded", "objective": {"metric": "loss", "direction": "minimize"},
                         "searchSpace": [{"name": "fit", "kind": "categorical", "choices": [%s]}],
                         "strategyOptions": {"note": "%s"},
                         "protectedPaths": [%s],
                         "budget": {"maxExperiments": 5}}
                        """.formatted(manyChoices, longOption, manyPaths))
                .when().post("/api/v1/studies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.path", containsInAnyOrder("searchSpace[0].choices", "strategyOptions.note",
                        "protectedPaths"));
    }

    @Test
    void aSpecOverTheSizeLimitIsRefusedAsTooLargeWhetherSentSoOrOnceWrittenAsJson() {
        given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("alice-researcher"))
                .body("""
                        {"name": "huge", "objective": {"metric": "loss", "direction": "minimize"},
                         "searchSpace": [{"name": "x", "kind": "float", "low": 0, "high": 1}],
                         "strategyOptions": {"note": "%s"},
                         "budget": {"maxExperiments": 5}}
                        """.formatted("y".repeat(70_000)))
                .when().post("/api/v1/studies")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("65536"));

        // 48 KB of YAML escapes as sent, 72 KB once written as JSON (a control character takes six bytes there).
        given().contentType("application/yaml").auth().oauth2(Tokens.reused("alice-researcher"))
                .body(utf8("""
                        name: escapes
                        objective: {metric: loss, direction: minimize}
                        searchSpace: [{name: x, kind: float, low: 0, high: 1}]
                        strategyOptions: {note: "%s"}
                        budget: {maxExperiments: 5}
                        """.formatted("\\x01".repeat(12_000))))
                .when().post("/api/v1/studies")
                .then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("as JSON"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void malformedJsonAndAMissingTokenAreProblemsToo() {
        given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("alice-researcher")).body("{\"name\": ")
                .when().post("/api/v1/studies")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].path", equalTo("$"))
                .body("errors[0].message", containsString("not valid YAML or JSON"));
        given().contentType(ContentType.JSON).body(VALID.formatted("b"))
                .when().post("/api/v1/studies")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void aForkCarriesTheOriginTheLearnerGaveForTheCallersTeamAndSequence() {
        String source = java.util.UUID.randomUUID().toString();
        java.util.List<Query.GetForkOrigin> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        StudyOrigin origin = new StudyOrigin(source, 9, null, null, java.util.List.of(new StudyOrigin.Proposal(
                java.util.UUID.randomUUID(), 0, "sobol", java.util.List.of(), java.util.Map.of("alpha", 0.25, "fit", "best"),
                dev.seedloop.events.Verdict.NEW_CHAMPION, 3.0)), 0);
        learner.otherwise(query -> {
            if (query instanceof Query.GetForkOrigin get) {
                asked.add(get);
            }
            if (query instanceof Query.GetForkOrigin get && get.studyId().equals(source) && get.team().equals("team-a")) {
                return get.atSequence() != null && get.atSequence() > 9
                        ? QueryCodec.invalid("study " + source + " has 9 events; it cannot be forked at " + get.atSequence())
                        : new QueryCodec().ok(origin);
            }
            return QueryCodec.notFound("no study " + (query instanceof Query.GetForkOrigin g ? g.studyId() : "?"));
        });

        String forkId = given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("alice-researcher"))
                .body(VALID.formatted("fork")).queryParam("at", 9)
                .when().post("/api/v1/studies/" + source + "/forks")
                .then().statusCode(201)
                .body("forkedFrom", equalTo(source)).body("forkedAt", equalTo(9)).body("inherited", equalTo(1))
                .extract().path("studyId");

        assertThat(forkId).isNotEqualTo(source);
        assertThat(asked).extracting(Query.GetForkOrigin::atSequence).containsExactly(9L);
        var records = KafkaTopics.awaitRecords(Topics.STUDIES, r -> forkId.equals(r.key()), 1, Duration.ofSeconds(30));
        StudyCreated created = (StudyCreated) codec.decode(records.getFirst().value()).payload();
        assertThat(created.origin()).isEqualTo(origin);
        assertThat(created.name()).isEqualTo("bin packing fork");

        given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("alice-researcher"))
                .body(VALID.formatted("too far")).queryParam("at", 10)
                .when().post("/api/v1/studies/" + source + "/forks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("cannot be forked at 10"));
        given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("alice-researcher"))
                .body(VALID.formatted("zero")).queryParam("at", 0)
                .when().post("/api/v1/studies/" + source + "/forks")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("bob-researcher"))
                .body(VALID.formatted("other team"))
                .when().post("/api/v1/studies/" + source + "/forks")
                .then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("alice-viewer"))
                .body(VALID.formatted("viewer"))
                .when().post("/api/v1/studies/" + source + "/forks")
                .then().statusCode(403);
        given().contentType(ContentType.JSON).auth().oauth2(Tokens.reused("alice-researcher"))
                .body("{\"name\": \"no objective\"}")
                .when().post("/api/v1/studies/" + source + "/forks")
                .then().statusCode(400).contentType("application/problem+json");
        assertThat(asked).as("a bad spec or a role without the right to fork never reaches the learner")
                .extracting(q -> q.team() + "@" + q.atSequence())
                .containsExactly("team-a@9", "team-a@10", "team-b@null");
    }
}
