package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.gateway.api.ModelCallResource;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * A study's model calls and their prompts and answers through the gateway, against the real artifact store, broker
 * and Keycloak: the owning team pages the calls and reads the texts (a long one cut at a character boundary, saying
 * so); another team gets 404 for the study, and its own study cannot be used to read a call of another team's study.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ModelCallsTest {

    private static final String PROBLEM = "application/problem+json";

    static StandInLearner learner;
    static volatile CodeStudy alices;
    static volatile CodeStudy bobs;
    static UUID answered;
    static UUID failed;
    static UUID huge;
    static UUID bobsCall;
    static String hugePrompt;

    @Inject
    ArtifactStore store;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
        learner.otherwise(query -> {
            for (CodeStudy study : new CodeStudy[] {alices, bobs}) {
                QueryReply reply = study == null ? null : study.answer(query);
                if (reply != null) {
                    return reply;
                }
            }
            return QueryCodec.notFound("no study");
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    private synchronized void givenStudiesWithModelCalls() {
        if (alices != null) {
            return;
        }
        Tree parent = CodeStudy.tree(store, CodeStudy.files("heuristic.py", "x = 1\n"), CodeStudy.TEAM);
        CodeStudy a = new CodeStudy(store, parent);
        UUID proposal = a.proposal(parent, null);
        answered = a.modelCall(proposal, "Improve score.\n", "<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n",
                1_802, 412, 0.000934);
        failed = a.modelCall(proposal, "Improve score again.\n", null, 1_700, 0, 0.0);
        // One byte before 2-byte characters: a cut at 1 MiB would fall inside one.
        hugePrompt = "x" + "é".repeat(600_000);
        huge = a.modelCall(proposal, hugePrompt, "ok", 300_000, 2, 0.5);
        Tree bobsTree = CodeStudy.tree(store, CodeStudy.files("secret.py", "team-b's\n"), "team-b");
        CodeStudy b = new CodeStudy(store, bobsTree, "team-b");
        bobsCall = b.modelCall(b.proposal(bobsTree, null), "team-b's secret prompt\n", "team-b's answer\n", 10, 10,
                0.01);
        bobs = b;
        alices = a;
    }

    private static String calls(CodeStudy study) {
        return "/api/v1/studies/" + study.id + "/model-calls";
    }

    @Test
    void theOwningTeamPagesTheCallsInStudyOrder() {
        givenStudiesWithModelCalls();
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(alices) + "?limit=2")
                .then().statusCode(200)
                .body("items", hasSize(2))
                .body("more", equalTo(true))
                .body("items[0].callId", equalTo(answered.toString()))
                .body("items[0].model", equalTo("small"))
                .body("items[0].template", equalTo("default"))
                .body("items[0].operator", equalTo("mutate@small/default"))
                .body("items[0].tokensIn", equalTo(1802))
                .body("items[0].tokensOut", equalTo(412))
                .body("items[0].costUsd", equalTo(0.000934f))
                .body("items[0].latencyMillis", equalTo(1200))
                .body("items[0].replayed", equalTo(false))
                .body("items[0].failure", nullValue())
                .body("items[1].callId", equalTo(failed.toString()))
                .body("items[1].answerHash", nullValue())
                .body("items[1].failure", equalTo("timeout after 3 attempts"));
        long after = given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(alices) + "?limit=2")
                .then().extract().jsonPath().getLong("after");
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(alices) + "?after=" + after)
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].callId", equalTo(huge.toString()))
                .body("more", equalTo(false));
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(alices) + "?limit=0")
                .then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void promptsAndAnswersAreReadFromTheStoreAndALongOneIsCutAtACharacter() {
        givenStudiesWithModelCalls();
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(alices) + "/" + answered + "/prompt")
                .then().statusCode(200).contentType(containsString("text/plain"))
                .header(ModelCallResource.TRUNCATED, nullValue())
                .body(equalTo("Improve score.\n"));
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(alices) + "/" + answered + "/answer")
                .then().statusCode(200).body(containsString("x = 2\n>>>>>>> REPLACE"));
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(alices) + "/" + failed + "/answer")
                .then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("timeout after 3 attempts"));

        var response = given().auth().oauth2(Tokens.reused("alice-viewer")).when()
                .get(calls(alices) + "/" + huge + "/prompt")
                .then().statusCode(200).extract();
        int whole = hugePrompt.getBytes(StandardCharsets.UTF_8).length;
        assertThat(response.header(ModelCallResource.TRUNCATED)).isEqualTo(Integer.toString(whole));
        byte[] body = response.asByteArray();
        assertThat(body.length).isEqualTo((1 << 20) - 1);
        assertThat(hugePrompt).startsWith(new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void anotherTeamsStudyAndItsCallsAre404ThroughEveryDoor() {
        givenStudiesWithModelCalls();
        String unknown = given().auth().oauth2(Tokens.reused("alice-viewer")).when()
                .get("/api/v1/studies/" + UUID.randomUUID() + "/model-calls")
                .then().statusCode(404).contentType(PROBLEM).extract().path("title");
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(bobs))
                .then().statusCode(404).contentType(PROBLEM).body("title", equalTo(unknown));
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(bobs) + "/" + bobsCall + "/prompt")
                .then().statusCode(404).contentType(PROBLEM)
                .body(org.hamcrest.Matchers.not(containsString("secret")));
        // Her own study does not open a call of another study, whatever its id.
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(alices) + "/" + bobsCall + "/answer")
                .then().statusCode(404).contentType(PROBLEM)
                .body(org.hamcrest.Matchers.not(containsString("team-b")));
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(calls(alices) + "/not-a-uuid/prompt")
                .then().statusCode(404).contentType(PROBLEM);
        // And the owner reads it.
        given().auth().oauth2(Tokens.reused("bob-viewer")).when().get(calls(bobs) + "/" + bobsCall + "/prompt")
                .then().statusCode(200).body(equalTo("team-b's secret prompt\n"));
    }
}
