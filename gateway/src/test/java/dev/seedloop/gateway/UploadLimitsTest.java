package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/** The upload limits as an operator sets them: over one, 413 problem+json, and nothing stored. */
@QuarkusTest
@TestProfile(UploadLimitsTest.SmallLimits.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UploadLimitsTest {

    public static class SmallLimits implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("seedloop.gateway.workspaces.max-file-bytes", "4K",
                    "seedloop.gateway.workspaces.max-files", "10");
        }
    }

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void anUploadOverTheOperatorsLimitsIs413() {
        byte[] big = Uploads.tarGz(tar -> Uploads.file(tar, "big.txt", "x".repeat(5000)));
        given().auth().oauth2(Tokens.of("alice-researcher")).contentType("application/gzip").body(big)
                .when().post("/api/v1/workspaces")
                .then().statusCode(413).contentType("application/problem+json")
                .body("reason", equalTo("limit-exceeded")).body("errors[0].path", equalTo("big.txt"));
        byte[] many = Uploads.tarGz(tar -> {
            for (int i = 0; i < 11; i++) {
                Uploads.file(tar, "f" + i, "x");
            }
        });
        given().auth().oauth2(Tokens.of("alice-researcher")).contentType("application/gzip").body(many)
                .when().post("/api/v1/workspaces")
                .then().statusCode(413).contentType("application/problem+json").body("reason", equalTo("limit-exceeded"));
    }
}
