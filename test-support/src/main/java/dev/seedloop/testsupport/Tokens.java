package dev.seedloop.testsupport;

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
