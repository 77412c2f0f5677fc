package dev.seedloop.cli.client;

/** Where the gateway client gets its bearer token; kept apart so the client does not know about logins. */
public interface TokenSource {

    /** For the one endpoint that needs no token ({@code GET /api/v1/auth}). */
    TokenSource NONE = () -> null;

    /** A token valid now (renewed first if it is about to expire), or null for no Authorization header. */
    String accessToken();

    /**
     * The gateway refused the token with 401 although it looked valid (revoked, clock skew): a fresh one,
     * or null when none can be had, in which case the 401 stands.
     */
    default String renewAfterRejection() {
        return null;
    }
}
