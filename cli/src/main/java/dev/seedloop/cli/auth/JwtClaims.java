package dev.seedloop.cli.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.Json;

/**
 * Reads claims of a JWT access token without verifying it. That is enough for display and for choosing
 * the team of {@code seedloop quota}: the gateway verifies every token it is sent.
 */
public final class JwtClaims {

    private JwtClaims() {
    }

    /** The claims, or empty when the token is not a JWT (opaque tokens are allowed by OAuth). */
    public static Optional<JsonNode> of(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            JsonNode claims = Json.tree(payload);
            return claims.isObject() ? Optional.of(claims) : Optional.empty();
        } catch (IllegalArgumentException | CliException notAJwt) {
            return Optional.empty();
        }
    }

    public static Optional<String> string(String token, String claim) {
        return of(token).map(claims -> claims.get(claim)).filter(JsonNode::isTextual).map(JsonNode::asText);
    }
}
