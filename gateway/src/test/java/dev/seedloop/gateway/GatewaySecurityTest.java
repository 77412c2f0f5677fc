package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.testsupport.HostileTokens;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The gateway's own checks with real Keycloak tokens: bad tokens, roles, the quota page, the OpenAPI document.
 * Reads are answered by a stand-in learner here; the system tests run the same paths against the real one.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class GatewaySecurityTest {

    private static final String SPEC = """
            {"name": "quota probe", "objective": {"metric": "loss", "direction": "minimize"},
             "searchSpace": [{"name": "x", "kind": "float", "low": 0.0, "high": 1.0}],
             "budget": {"maxExperiments": %d}}
            """;

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

    @Test
    void everyKindOfBadTokenIsAnsweredWith401AsAProblem() throws InterruptedException {
        String expiring = HostileTokens.shortLived("alice-viewer", 1);
        Map<String, String> bad = Map.of(
                "garbage", "not-a-jwt",
                "tampered signature", HostileTokens.tamperedSignature("alice-viewer"),
                "forged team claim", HostileTokens.forgedTeam("bob-viewer", "team-a"),
                "wrong audience", HostileTokens.wrongAudience("alice-viewer"),
                "wrong issuer", HostileTokens.wrongIssuer());
        awaitExpiry(expiring);
        for (var token : Map.of("expired", expiring).entrySet()) {
            expect401(token.getKey(), token.getValue());
        }
        for (var token : bad.entrySet()) {
            expect401(token.getKey(), token.getValue());
        }
        given().when().get("/api/v1/studies").then().statusCode(401).contentType("application/problem+json");
    }

    /** Until the token's own {@code exp} (whole seconds) has passed; usually minting the other tokens took that long. */
    private static void awaitExpiry(String token) throws InterruptedException {
        long wait = Tokens.expiresAt(token).toEpochMilli() + 100 - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static void expect401(String what, String token) {
        int status = given().auth().oauth2(token).when().get("/api/v1/studies")
                .then().contentType("application/problem+json").body("status", equalTo(401))
                .extract().statusCode();
        assertThat(status).as(what).isEqualTo(401);
    }

    @Test
    void aValidTokenIsAcceptedSoThe401sAboveAreAboutTheToken() {
        learner.otherwise(query -> dev.seedloop.queries.QueryCodec.notFound("no study"));
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get("/api/v1/studies/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void rolesLimitWhatEachUserMayDo() {
        String study = UUID.randomUUID().toString();
        // Viewers and approvers read but may not create or steer.
        for (String user : List.of("alice-viewer", "alice-approver")) {
            given().auth().oauth2(Tokens.reused(user)).contentType(ContentType.JSON).body(SPEC.formatted(5))
                    .when().post("/api/v1/studies").then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(Tokens.reused(user)).contentType(ContentType.JSON).body("{\"reason\": \"x\"}")
                    .when().post("/api/v1/studies/" + study + "/halt").then().statusCode(403);
        }
        // Only approvers approve; researchers and admins do not.
        for (String user : List.of("alice-researcher", "alice-admin", "alice-viewer")) {
            given().auth().oauth2(Tokens.reused(user)).contentType(ContentType.JSON).body("{}")
                    .when().post("/api/v1/studies/" + study + "/candidates/" + UUID.randomUUID() + "/approve")
                    .then().statusCode(403);
        }
        // Only admins set quotas, and only their own team's.
        for (String user : List.of("alice-researcher", "alice-approver", "alice-viewer")) {
            given().auth().oauth2(Tokens.reused(user)).contentType(ContentType.JSON)
                    .body("{\"maxConcurrentStudies\": 2, \"maxExperimentsPerDay\": 10}")
                    .when().put("/api/v1/teams/team-a/quota").then().statusCode(403);
        }
        given().auth().oauth2(Tokens.reused("bob-admin")).contentType(ContentType.JSON)
                .body("{\"maxConcurrentStudies\": 2, \"maxExperimentsPerDay\": 10}")
                .when().put("/api/v1/teams/team-a/quota").then().statusCode(404);
        given().auth().oauth2(Tokens.reused("bob-viewer")).when().get("/api/v1/teams/team-a/quota")
                .then().statusCode(404);
    }

    @Test
    void aTeamSeesItsQuotasInForceAndItsAdminSetsThemWithinBounds() {
        // Refusing studies is the learner's admission (AdmissionTest); the quota page shows what is in force.
        learner.usage("team-b", null, null, 1, 3);
        given().auth().oauth2(Tokens.reused("bob-viewer")).when().get("/api/v1/teams/team-b/quota")
                .then().statusCode(200).body("maxConcurrentStudies", equalTo(5))
                .body("maxExperimentsPerDay", equalTo(2000)).body("activeStudies", equalTo(1))
                .body("experimentsToday", equalTo(3));
        learner.usage("team-b", 2, 100, 1, 3);
        given().auth().oauth2(Tokens.reused("bob-viewer")).when().get("/api/v1/teams/team-b/quota")
                .then().statusCode(200).body("maxConcurrentStudies", equalTo(2))
                .body("maxExperimentsPerDay", equalTo(100));

        given().auth().oauth2(Tokens.reused("bob-admin")).contentType(ContentType.JSON)
                .body("{\"maxConcurrentStudies\": 0, \"maxExperimentsPerDay\": 10}")
                .when().put("/api/v1/teams/team-b/quota").then().statusCode(400)
                .body("detail", startsWith("maxConcurrentStudies must be within"));
        given().auth().oauth2(Tokens.reused("bob-admin")).contentType(ContentType.JSON)
                .body("{\"maxConcurrentStudies\": 3, \"maxExperimentsPerDay\": 50}")
                .when().put("/api/v1/teams/team-b/quota").then().statusCode(200)
                .body("maxConcurrentStudies", equalTo(3)).body("setBy", equalTo("bob-admin"));
    }

    @Test
    void loginSettingsArePublicAndTheOpenApiDocumentSecuresEveryOperation() {
        given().when().get("/api/v1/auth").then().statusCode(200)
                .body("cliClientId", equalTo("seedloop-cli"))
                .body("audience", equalTo("seedloop-gateway"))
                .body("issuer", containsString("/realms/seedloop"));

        JsonPath openapi = given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        assertThat(paths).containsKeys("/api/v1/studies", "/api/v1/studies/{studyId}",
                "/api/v1/studies/{studyId}/events", "/api/v1/studies/{studyId}/stream",
                "/api/v1/studies/{studyId}/lineage", "/api/v1/studies/{studyId}/experiments/{experimentId}/log",
                "/api/v1/studies/{studyId}/state", "/api/v1/studies/{studyId}/postmortem",
                "/api/v1/studies/{studyId}/export", "/api/v1/imports",
                "/api/v1/studies/{studyId}/pause", "/api/v1/studies/{studyId}/resume",
                "/api/v1/studies/{studyId}/halt", "/api/v1/studies/{studyId}/candidates/{proposalId}/approve",
                "/api/v1/studies/{studyId}/candidates/{proposalId}/reject", "/api/v1/teams/{team}/quota",
                "/api/v1/auth");
        assertThat(openapi.getMap("components.securitySchemes")).containsKey("bearer");
        assertThat(openapi.getMap("components.schemas")).containsKeys("StudyView", "StudyPage", "EventPage",
                "LineageView", "ExperimentLogView", "TeamQuota", "Problem");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> op = (Map<String, Object>) operation;
            if (path.equals("/api/v1/auth")) {
                assertThat(op.get("security")).as(method + " " + path + " is open").isEqualTo(List.of());
            } else {
                assertThat(op.get("security")).as(method + " " + path + " declares its security").isNotNull();
            }
        }));
    }

}
