package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.seedloop.infra.KeycloakServer;
import dev.seedloop.testsupport.SharedInfrastructure;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * One gateway run for the tests of settings an operator changes: docker-compose.yml's identity settings
 * ({@link ComposeIdentityTest}) and small upload limits ({@link UploadLimitsTest}). They share it because every
 * profile costs a gateway restart, and neither touches what the other sets: their tokens come from the public issuer
 * ({@link #token(String)}) and the compose test's one upload is far below the limits.
 */
public class OperatorProfile implements QuarkusTestProfile {

    static final String PUBLIC_HOST = "sso.seedloop.invalid:8180";
    static final String PUBLIC_ISSUER = "http://" + PUBLIC_HOST + "/realms/" + KeycloakServer.REALM;

    static final int MAX_FILE_BYTES = 4096;
    static final int MAX_FILES = 10;
    static final int MAX_TOTAL_BYTES = 16 * 1024;
    static final int MAX_BODY_BYTES = 32 * 1024;

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> settings = new HashMap<>();
        // docker-compose.yml's gateway settings, with the compose network's Keycloak replaced by the shared one.
        settings.put("quarkus.oidc.auth-server-url", PUBLIC_ISSUER);
        settings.put("quarkus.oidc.token.issuer", PUBLIC_ISSUER);
        settings.put("quarkus.oidc.discovery-enabled", "false");
        settings.put("quarkus.oidc.jwks-path",
                SharedInfrastructure.keycloak().issuer() + "/protocol/openid-connect/certs");
        // Upload limits small enough to be tested at their edges.
        settings.put("seedloop.gateway.workspaces.max-file-bytes", Integer.toString(MAX_FILE_BYTES));
        settings.put("seedloop.gateway.workspaces.max-files", Integer.toString(MAX_FILES));
        settings.put("seedloop.gateway.workspaces.max-total-bytes", Integer.toString(MAX_TOTAL_BYTES));
        settings.put("quarkus.http.limits.max-body-size", Integer.toString(MAX_BODY_BYTES));
        return settings;
    }

    /**
     * A password-grant token from the shared Keycloak, asked for under the public name so that it is its issuer;
     * reused while it has a minute left, like {@link Tokens#reused(String)}.
     */
    static String token(String username) {
        return TOKENS.compute(username, (user, held) -> held != null
                && Tokens.expiresAt(held).isAfter(Instant.now().plusSeconds(60)) ? held : publicIssuerToken(user));
    }

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
