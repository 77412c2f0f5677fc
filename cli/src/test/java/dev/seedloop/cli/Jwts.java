package dev.seedloop.cli;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Unsigned JWTs with given claims: the CLI only reads claims, the gateway verifies signatures. */
final class Jwts {

    private Jwts() {
    }

    static String token(String user, String team) {
        return token("{\"preferred_username\":\"" + user + "\",\"team\":\"" + team + "\"}");
    }

    static String token(String claimsJson) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + encoder.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8)) + ".sig";
    }

    static String tokenResponse(String accessToken, String refreshToken, long expiresIn) {
        return "{\"access_token\":\"" + accessToken + "\",\"refresh_token\":\"" + refreshToken
                + "\",\"expires_in\":" + expiresIn + ",\"refresh_expires_in\":1800,\"token_type\":\"Bearer\"}";
    }
}
