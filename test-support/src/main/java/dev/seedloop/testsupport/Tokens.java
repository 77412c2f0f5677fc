package dev.seedloop.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Access tokens for the test users of the {@code seedloop} realm, obtained from the shared Keycloak
 * ({@link SharedInfrastructure#keycloak()}) through the password grant of the public
 * {@code seedloop-cli} client.
 *
 * <p>Users: {@code alice-viewer}, {@code alice-researcher}, {@code alice-approver}, {@code alice-admin}
 * (team {@code team-a}) and {@code bob-viewer}, {@code bob-researcher}, {@code bob-approver},
 * {@code bob-admin} (team {@code team-b}); each has the realm role in its name and the password
 * {@code <username>-pw}. Tokens carry {@code aud} = {@code seedloop-gateway}, {@code team} and
 * {@code realm_access.roles}, and are valid for 15 minutes.
 */
public final class Tokens {

    public static final String CLI_CLIENT_ID = "seedloop-cli";

    private Tokens() {
    }

    private static final Pattern EXP = Pattern.compile("\"exp\":(\\d+)");
    private static final Map<String, String> REUSED = new ConcurrentHashMap<>();

    /**
     * An access token for {@code username} that this JVM minted before and that has at least a minute left, else a
     * fresh one. Each password grant makes Keycloak hash the password (a large share of a REST test's time when every
     * request mints its own); a test that needs a token of its own (a new session, just-changed claims) uses
     * {@link #of(String)}.
     */
    public static String reused(String username) {
        String token = REUSED.get(username);
        if (token == null || expiresAt(token).isBefore(Instant.now().plusSeconds(60))) {
            token = of(username);
            REUSED.put(username, token);
        }
        return token;
    }

    /** When the token expires ({@code exp}); the epoch when it carries none. */
    public static Instant expiresAt(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        Matcher exp = EXP.matcher(payload);
        return exp.find() ? Instant.ofEpochSecond(Long.parseLong(exp.group(1))) : Instant.EPOCH;
    }

    /** A fresh access token (a JWT) for {@code username}, whose password is {@code <username>-pw}. */
    public static String of(String username) {
        return of(username, username + "-pw");
    }

    /** A fresh access token for {@code username} with an explicit password. */
    public static String of(String username, String password) {
        return SharedInfrastructure.keycloak().passwordGrantToken(CLI_CLIENT_ID, username, password);
    }

    /** {@code "Bearer <token>"}, ready for an {@code Authorization} header. */
    public static String bearer(String username) {
        return "Bearer " + of(username);
    }
}
