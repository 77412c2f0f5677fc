package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * The gateway's identity configured as docker-compose.yml configures it (deploy/README.md "Deploy → Compose" →
 * "Identity"): tokens carry the issuer the browser and the CLI use, a name the gateway cannot reach, so discovery is
 * off, the expected issuer is set as {@code quarkus.oidc.token.issuer} and the realm's keys come from an absolute
 * {@code quarkus.oidc.jwks-path} at another address (compose: {@code http://keycloak:8080/...}).
 *
 * <p>Keycloak's {@code KC_HOSTNAME} is what puts the public issuer into compose's tokens; the shared test Keycloak has
 * no fixed hostname ({@code hostname-strict=false}) and names itself after the request's {@code Host}, so tokens
 * asked for with {@code Host: } {@link OperatorProfile#PUBLIC_HOST} carry {@link OperatorProfile#PUBLIC_ISSUER} just
 * the same. That host is under {@code .invalid} (RFC 6761), which never resolves: were the gateway to contact the
 * issuer or the auth-server-url, as the container's {@code localhost:8180} would lead nowhere, the valid token would
 * be refused. The profile is shared with {@link UploadLimitsTest} ({@link OperatorProfile}).
 */
@QuarkusTest
@TestProfile(OperatorProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ComposeIdentityTest {

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aTokenOfThePublicIssuerReachesAProtectedEndpoint() {
        String token = OperatorProfile.token("alice-researcher");
        byte[] workspace = Uploads.tarGz(tar -> Uploads.file(tar, "README.md", "marker " + UUID.randomUUID()));
        String tree = given().auth().oauth2(token).contentType("application/gzip").body(workspace)
                .when().post("/api/v1/workspaces")
                .then().statusCode(oneOf(200, 201)).extract().path("tree");
        given().auth().oauth2(token).when().get("/api/v1/workspaces/" + tree)
                .then().statusCode(200).body("tree", equalTo(tree));
    }

    @Test
    void aTokenOfTheSameRealmUnderAnotherIssuerIsRefused() {
        // Same realm, same keys, same audience: only iss differs (the address it was asked for at), so this 401 is
        // quarkus.oidc.token.issuer at work.
        String token = Tokens.reused("alice-researcher");
        given().auth().oauth2(token).when().get("/api/v1/studies")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void noTokenIsRefused() {
        given().when().get("/api/v1/studies").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void theLoginSettingsAnnounceThePublicIssuer() {
        given().when().get("/api/v1/auth").then().statusCode(200)
                .body("issuer", equalTo(OperatorProfile.PUBLIC_ISSUER));
    }
}
