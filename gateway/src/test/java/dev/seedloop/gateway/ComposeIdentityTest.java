package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.infra.KeycloakServer;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.SharedInfrastructure;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
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
 * asked for with {@code Host: } {@link #PUBLIC_HOST} carry {@link #PUBLIC_ISSUER} just the same. That host is under
 * {@code .invalid} (RFC 6761), which never resolves: were the gateway to contact the issuer or the auth-server-url,
 * as the container's {@code localhost:8180} would lead nowhere, the valid token would be refused.
 */
@QuarkusTest
@TestProfile(ComposeIdentityTest.ComposeOidc.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ComposeIdentityTest {

    static final String PUBLIC_HOST = "sso.seedloop.invalid:8180";
    static final String PUBLIC_ISSUER = "http://" + PUBLIC_HOST + "/realms/" + KeycloakServer.REALM;

    /** docker-compose.yml's gateway settings, with the compose network's Keycloak replaced by the shared one. */
    public static class ComposeOidc implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.oidc.auth-server-url", PUBLIC_ISSUER,
                    "quarkus.oidc.token.issuer", PUBLIC_ISSUER,
                    "quarkus.oidc.discovery-enabled", "false",
                    "quarkus.oidc.jwks-path",
                    SharedInfrastructure.keycloak().issuer() + "/protocol/openid-connect/certs");
        }
    }

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aTokenOfThePublicIssuerReachesAProtectedEndpoint() {
        String token = publicIssuerToken("alice-researcher");
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
        given().when().get("/api/v1/auth").then().statusCode(200).body("issuer", equalTo(PUBLIC_ISSUER));
    }

    /** A password-grant token from the shared Keycloak, asked for under the public name so that it is its issuer. */
    private static String publicIssuerToken(String username) {
        String token = given().header("Host", PUBLIC_HOST)
                .formParam("grant_type", "password").formParam("client_id", Tokens.CLI_CLIENT_ID)
                .formParam("username", username).formParam("password", username + "-pw")
                .formParam("scope", "openid")
                .when().post(SharedInfrastructure.keycloak().issuer() + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        if (!payload.contains("\"iss\":\"" + PUBLIC_ISSUER + "\"")) {
            throw new IllegalStateException("Keycloak did not issue the token under " + PUBLIC_ISSUER + ": " + payload);
        }
        return token;
    }
}
