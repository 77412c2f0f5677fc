package dev.seedloop.cli.auth;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;

/**
 * A successful answer of an OAuth 2.0 token endpoint (RFC 6749 section 5.1).
 *
 * @param refreshExpiresInSeconds Keycloak's {@code refresh_expires_in}; null when absent, 0 means no expiry
 */
public record TokenResponse(String accessToken, String refreshToken, long expiresInSeconds,
                            Long refreshExpiresInSeconds) {

    static TokenResponse parse(JsonNode body) {
        String access = body.path("access_token").asText(null);
        if (access == null || access.isBlank()) {
            throw new CliException(ExitCode.UNEXPECTED, "The token endpoint answered without an access token");
        }
        JsonNode refreshExpiry = body.get("refresh_expires_in");
        return new TokenResponse(access, body.path("refresh_token").asText(null),
                // expires_in is only RECOMMENDED: without it, assume a short life and refresh early.
                body.path("expires_in").canConvertToLong() ? body.path("expires_in").asLong() : 60L,
                refreshExpiry == null || !refreshExpiry.canConvertToLong() ? null : refreshExpiry.asLong());
    }

    public Instant accessTokenExpiresAt(Instant now) {
        return now.plusSeconds(expiresInSeconds);
    }

    /** Null when unknown or without expiry (offline tokens). */
    public Instant refreshTokenExpiresAt(Instant now) {
        return refreshExpiresInSeconds == null || refreshExpiresInSeconds <= 0 ? null
                : now.plusSeconds(refreshExpiresInSeconds);
    }
}
