package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * A spec's {@code workspace} and {@code validation.heldOutData} are tree hashes the team owns; anything else is
 * refused before a study exists: another team's tree like an unknown one, a server path outright (no legacy root is
 * configured here), and limits above the installation's ceilings.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class WorkspaceSpecTest {

    private static final String PROBLEM = "application/problem+json";

    static final String SPEC = """
            name: %s
            objective: {metric: loss, direction: minimize}
            workspace: "%s"
            searchSpace: [{name: x, kind: float, low: 0, high: 1}]
            experiment: {command: [sh, run.sh]%s}
            validation:
              heldOut: {command: [sh, run.sh], metric: loss}
            %s
            budget: {maxExperiments: 2}
            """;

    @Inject
    EventCodec codec;

    static StandInLearner learner;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    private static byte[] spec(String name, String workspace, String experimentExtra, String heldOutData) {
        return SPEC.formatted(name, workspace, experimentExtra,
                heldOutData == null ? "" : "  heldOutData: \"" + heldOutData + "\"")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aSpecNamingAnUploadedTreeCreatesAStudyWhoseStudyCreatedCarriesIt(@TempDir Path code, @TempDir Path data)
            throws Exception {
        String tree = Uploads.upload("alice-researcher", Uploads.tarGz(Uploads.project(code)), "application/gzip");
        java.nio.file.Files.writeString(data.resolve("held-out.csv"), "x,y\n1,2\n");
        String heldOut = Uploads.upload("alice-researcher", Uploads.tarGz(data), "application/gzip");

        String studyId = given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/yaml")
                .body(spec("tree study", tree, "", heldOut))
                .when().post("/api/v1/studies")
                .then().statusCode(201).extract().path("studyId");

        var records = KafkaTopics.awaitRecords(Topics.STUDIES, r -> studyId.equals(r.key()), 1, Duration.ofSeconds(30));
        var event = codec.decode(records.getFirst().value());
        assertThat(event.version()).isEqualTo(5);
        StudyCreated created = (StudyCreated) event.payload();
        assertThat(created.workspace().tree()).isEqualTo(tree);
        assertThat(created.workspace().isLegacyLocation()).isFalse();
        assertThat(created.validation().heldOutData()).isEqualTo(heldOut);
    }

    @Test
    void anotherTeamsTreeIsRefusedInTheSameWordsAsAnUnknownOne(@TempDir Path code) throws Exception {
        String alices = Uploads.upload("alice-researcher", Uploads.tarGz(Uploads.project(code)), "application/gzip");
        String unknown = "sha256:" + "f".repeat(64);
        String foreign = given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/yaml")
                .body(spec("foreign", alices, "", alices))
                .when().post("/api/v1/studies")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.path", containsInAnyOrder("workspace", "validation.heldOutData"))
                .extract().asString();
        String missing = given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/yaml")
                .body(spec("foreign", unknown, "", unknown))
                .when().post("/api/v1/studies")
                .then().statusCode(400).contentType(PROBLEM).extract().asString();
        assertThat(foreign.replace(alices, unknown)).isEqualTo(missing);
    }

    @Test
    void aServerPathIsRefusedWithHowToUploadInstead() {
        for (String path : new String[] {"/etc", "/opt/x/../../etc"}) {
            given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/yaml")
                    .body(spec("server path", path, "", null))
                    .when().post("/api/v1/studies")
                    .then().statusCode(400).contentType(PROBLEM)
                    .body("errors.path", containsInAnyOrder("workspace"))
                    .body("errors[0].message", containsString("no longer accepted"))
                    .body("errors[0].message", containsString("seedloop workspace push"));
        }
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/yaml")
                .body(spec("relative", "my-project", "", null))
                .when().post("/api/v1/studies")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.path", containsInAnyOrder("workspace"))
                .body("errors[0].message", containsString("tree hash"));
    }

    @Test
    void limitsAboveTheCeilingsAreRefusedNamingEachLimit(@TempDir Path code) throws Exception {
        String tree = Uploads.upload("alice-researcher", Uploads.tarGz(Uploads.project(code)), "application/gzip");
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/yaml")
                .body(spec("greedy", tree, ", timeoutSeconds: 86401, limits: {cpuSeconds: 86401, memoryMiB: 65537,"
                        + " maxProcesses: 4097, maxOutputBytes: 1073741825}", null))
                .when().post("/api/v1/studies")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors.path", containsInAnyOrder("experiment.timeoutSeconds", "experiment.limits.cpuSeconds",
                        "experiment.limits.memoryMiB", "experiment.limits.maxProcesses",
                        "experiment.limits.maxOutputBytes"))
                .body("errors.find { it.path == 'experiment.limits.memoryMiB' }.message",
                        equalTo("must be <= 65536, this installation's ceiling (was 65537)"));
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/yaml")
                .body(spec("at the ceiling", tree, ", timeoutSeconds: 86400, limits: {memoryMiB: 65536}", null))
                .when().post("/api/v1/studies")
                .then().statusCode(201);
    }
}
