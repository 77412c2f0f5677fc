package dev.seedloop.cli.auth;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.Json;

/**
 * The OpenID Connect / OAuth 2.0 requests of a public client: discovery, the password grant, the refresh
 * grant and the device authorization grant (RFC 8628). Holds no state; thread-safe.
 */
public final class OidcClient {

    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;

    public OidcClient(HttpClient http) {
        this.http = http;
    }

    public OidcEndpoints discover(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        String url = base + "/.well-known/openid-configuration";
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build(), url);
        if (response.statusCode() != 200) {
            throw new CliException(ExitCode.UNAVAILABLE, "The identity provider's discovery document " + url
                    + " answered HTTP " + response.statusCode());
        }
        JsonNode document = Json.tree(response.body());
        String tokenEndpoint = document.path("token_endpoint").asText(null);
        if (tokenEndpoint == null) {
            throw new CliException(ExitCode.UNEXPECTED, url + " names no token_endpoint");
        }
        return new OidcEndpoints(document.path("issuer").asText(base), tokenEndpoint,
                document.path("device_authorization_endpoint").asText(null));
    }

    public TokenResponse passwordGrant(String tokenEndpoint, String clientId, String user, char[] password) {
        return tokenRequest(tokenEndpoint, form("grant_type", "password", "client_id", clientId, "username", user,
                "password", new String(password), "scope", "openid"));
    }

    public TokenResponse refresh(String tokenEndpoint, String clientId, String refreshToken) {
        return tokenRequest(tokenEndpoint, form("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", refreshToken));
    }

    /** Step 1 of the device grant: a device code for the CLI and a user code for the person. */
    public DeviceAuthorization authorizeDevice(String deviceEndpoint, String clientId) {
        HttpResponse<String> response = post(deviceEndpoint, form("client_id", clientId, "scope", "openid"));
        JsonNode body = body(response, deviceEndpoint);
        if (response.statusCode() != 200) {
            throw oauthError(body, response.statusCode());
        }
        String verificationUri = body.path("verification_uri").asText(body.path("verification_url").asText(null));
        return new DeviceAuthorization(body.path("device_code").asText(), body.path("user_code").asText(),
                verificationUri, body.path("verification_uri_complete").asText(null),
                body.path("expires_in").asLong(600), body.path("interval").asLong(5));
    }

    /**
     * One poll of step 2 of the device grant.
     *
     * @throws TokenRequestException with {@code authorization_pending}, {@code slow_down},
     *                               {@code expired_token}, {@code access_denied}, ...
     */
    public TokenResponse deviceToken(String tokenEndpoint, String clientId, String deviceCode) {
        return tokenRequest(tokenEndpoint, form("grant_type", DEVICE_GRANT, "client_id", clientId,
                "device_code", deviceCode));
    }

    private TokenResponse tokenRequest(String tokenEndpoint, String form) {
        HttpResponse<String> response = post(tokenEndpoint, form);
        JsonNode body = body(response, tokenEndpoint);
        if (response.statusCode() != 200) {
            throw oauthError(body, response.statusCode());
        }
        return TokenResponse.parse(body);
    }

    private static CliException oauthError(JsonNode body, int status) {
        String error = body.path("error").asText(null);
        if (error == null) {
            return new CliException(status >= 500 ? ExitCode.UNAVAILABLE : ExitCode.UNEXPECTED,
                    "The identity provider answered HTTP " + status);
        }
        return new TokenRequestException(error, body.path("error_description").asText(null));
    }

    private JsonNode body(HttpResponse<String> response, String url) {
        String text = response.body();
        if (text == null || !text.trim().startsWith("{")) {
            if (response.statusCode() >= 500) {
                throw new CliException(ExitCode.UNAVAILABLE, url + " answered HTTP " + response.statusCode());
            }
            return Json.tree("{}");
        }
        return Json.tree(text);
    }

    private HttpResponse<String> post(String url, String form) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), url);
    }

    private HttpResponse<String> send(HttpRequest request, String url) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, "Cannot reach the identity provider at " + url + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.UNEXPECTED, "Interrupted while talking to the identity provider", e);
        }
    }

    private static String form(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
