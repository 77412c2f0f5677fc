package dev.seedloop.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.seedloop.infra.KeycloakServer;

/**
 * Tokens an attacker or a misconfigured client would present, all minted by the real shared Keycloak:
 * each must be refused by the gateway with 401. Only one thing is wrong with each, so a test that passes
 * proves that specific check.
 */
public final class HostileTokens {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private HostileTokens() {
    }

    /** A correctly signed token of the right realm and audience whose signature bytes were altered. */
    public static String tamperedSignature(String username) {
        String token = Tokens.of(username);
        int dot = token.lastIndexOf('.');
        byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        signature[signature.length / 2] ^= 0x5a;
        return token.substring(0, dot + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    /** A token whose payload claims another team, re-using the original signature (which then fails). */
    public static String forgedTeam(String username, String team) {
        String token = Tokens.of(username);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceFirst("\"team\"\\s*:\\s*\"[^\"]*\"", "\"team\":\"" + team + "\"");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    /** A valid token of the right realm for a client without the gateway audience ({@code admin-cli}). */
    public static String wrongAudience(String username) {
        return SharedInfrastructure.keycloak().passwordGrantToken("admin-cli", username, username + "-pw");
    }

    /** A valid token of another issuer: the {@code master} realm's administrator. */
    public static String wrongIssuer() {
        return adminToken();
    }

    /**
     * A token that is right in every way but expired: minted through a throw-away client whose access
     * tokens live {@code lifespanSeconds}; the caller waits until it has expired.
     */
    public static String shortLived(String username, int lifespanSeconds) {
        KeycloakServer keycloak = SharedInfrastructure.keycloak();
        String clientId = "short-lived-" + UUID.randomUUID();
        String client = """
                {"clientId": "%s", "publicClient": true, "directAccessGrantsEnabled": true,
                 "standardFlowEnabled": false,
                 "attributes": {"access.token.lifespan": "%d"},
                 "protocolMappers": [
                   {"name": "aud", "protocol": "openid-connect", "protocolMapper": "oidc-audience-mapper",
                    "config": {"included.client.audience": "seedloop-gateway", "access.token.claim": "true"}},
                   {"name": "team", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-attribute-mapper",
                    "config": {"user.attribute": "team", "claim.name": "team", "jsonType.label": "String",
                               "access.token.claim": "true"}}]}
                """.formatted(clientId, lifespanSeconds);
        HttpRequest create = HttpRequest.newBuilder(
                        URI.create(keycloak.baseUrl() + "/admin/realms/" + KeycloakServer.REALM + "/clients"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(client))
                .build();
        HttpResponse<String> created = send(create);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Keycloak refused the test client: HTTP " + created.statusCode() + " "
                    + created.body());
        }
        return keycloak.passwordGrantToken(clientId, username, username + "-pw");
    }

    private static String adminToken() {
        KeycloakServer keycloak = SharedInfrastructure.keycloak();
        String form = Map.of("grant_type", "password", "client_id", "admin-cli",
                        "username", KeycloakServer.ADMIN_USERNAME, "password", KeycloakServer.ADMIN_PASSWORD)
                .entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(keycloak.baseUrl() + "/realms/master/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = send(request);
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !token.find()) {
            throw new IllegalStateException("no master-realm admin token: HTTP " + response.statusCode() + " "
                    + response.body());
        }
        return token.group(1);
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request to Keycloak failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
