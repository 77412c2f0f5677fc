package dev.seedloop.cli.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.TokenSource;

/**
 * A logged-in user's tokens for the gateway client: renews the access token with the refresh token when
 * it has expired or expires within {@link #EARLY_RENEWAL} (so a request does not arrive with a token that
 * dies on the way), and hands every renewal to {@code onRenewal} (the CLI saves it; the demo keeps it in
 * memory). Thread-safe.
 */
public final class Session implements TokenSource {

    static final Duration EARLY_RENEWAL = Duration.ofSeconds(30);

    private final OidcClient oidc;
    private final Clock clock;
    private final Consumer<Credentials> onRenewal;
    private Credentials credentials;

    public Session(Credentials credentials, OidcClient oidc, Clock clock, Consumer<Credentials> onRenewal) {
        this.credentials = credentials;
        this.oidc = oidc;
        this.clock = clock;
        this.onRenewal = onRenewal;
    }

    @Override
    public synchronized String accessToken() {
        if (!credentials.accessTokenValidAt(clock.instant(), EARLY_RENEWAL)) {
            renew();
        }
        return credentials.accessToken();
    }

    @Override
    public synchronized String renewAfterRejection() {
        if (!credentials.refreshableAt(clock.instant())) {
            return null;
        }
        try {
            renew();
            return credentials.accessToken();
        } catch (CliException refused) {
            return null; // the gateway's 401 is the clearer message
        }
    }

    public synchronized Credentials credentials() {
        return credentials;
    }

    private void renew() {
        if (!credentials.refreshableAt(clock.instant())) {
            throw new CliException(ExitCode.NOT_LOGGED_IN, "Your session has expired: log in again with `seedloop login`.");
        }
        TokenResponse tokens;
        try {
            tokens = oidc.refresh(credentials.tokenEndpoint(), credentials.clientId(), credentials.refreshToken());
        } catch (TokenRequestException e) {
            throw new CliException(ExitCode.NOT_LOGGED_IN, "Your session has ended (" + e.error()
                    + "): log in again with `seedloop login`.", e);
        }
        credentials = credentials.renewed(tokens, clock.instant());
        onRenewal.accept(credentials);
    }
}
