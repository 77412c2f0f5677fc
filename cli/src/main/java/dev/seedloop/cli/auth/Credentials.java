package dev.seedloop.cli.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@code seedloop login} keeps in {@code credentials.json}: the tokens and everything needed to
 * renew them without asking the gateway again. Immutable; {@link #renewed} gives the next one.
 *
 * @param gateway               the gateway URL logged in through (the default for later commands)
 * @param tokenEndpoint         the issuer's token endpoint, from its discovery document
 * @param team                  the token's {@code team} claim (null if it has none)
 * @param refreshTokenExpiresAt null when the issuer did not say (then the refresh is simply tried)
 */
public record Credentials(String gateway, String issuer, String clientId, String tokenEndpoint, String user,
                          String team, String accessToken, Instant accessTokenExpiresAt, String refreshToken,
                          Instant refreshTokenExpiresAt) {

    /** Whether the access token is still good at {@code now} plus {@code margin}. */
    public boolean accessTokenValidAt(Instant now, Duration margin) {
        return accessTokenExpiresAt != null && now.plus(margin).isBefore(accessTokenExpiresAt);
    }

    /** Whether a refresh may still work at {@code now}. */
    public boolean refreshableAt(Instant now) {
        return refreshToken != null && !refreshToken.isBlank()
                && (refreshTokenExpiresAt == null || now.isBefore(refreshTokenExpiresAt));
    }

    /** The credentials after a token response at {@code now} (a refresh, or the login itself). */
    public Credentials renewed(TokenResponse tokens, Instant now) {
        String refresh = tokens.refreshToken() != null ? tokens.refreshToken() : refreshToken;
        Instant refreshExpiry = tokens.refreshToken() != null ? tokens.refreshTokenExpiresAt(now) : refreshTokenExpiresAt;
        String claimedTeam = JwtClaims.string(tokens.accessToken(), "team").orElse(team);
        return new Credentials(gateway, issuer, clientId, tokenEndpoint, user, claimedTeam, tokens.accessToken(),
                tokens.accessTokenExpiresAt(now), refresh, refreshExpiry);
    }
}
