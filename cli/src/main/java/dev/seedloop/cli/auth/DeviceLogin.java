package dev.seedloop.cli.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.Sleeper;

/**
 * Step 2 of the OAuth 2.0 device authorization grant (RFC 8628 section 3.4-3.5): polls the token endpoint
 * until the person has approved the login in a browser. Waits {@code interval} before each poll, adds 5 s
 * for every {@code slow_down}, keeps going on {@code authorization_pending} and stops on
 * {@code expired_token}, {@code access_denied} or the code's own expiry.
 */
public final class DeviceLogin {

    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);

    private final OidcClient oidc;
    private final Clock clock;
    private final Sleeper sleeper;

    public DeviceLogin(OidcClient oidc, Clock clock, Sleeper sleeper) {
        this.oidc = oidc;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public TokenResponse await(String tokenEndpoint, String clientId, DeviceAuthorization authorization) {
        Duration interval = Duration.ofSeconds(Math.max(1, authorization.intervalSeconds()));
        Instant expires = clock.instant().plusSeconds(authorization.expiresInSeconds());
        while (true) {
            try {
                sleeper.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCode.UNEXPECTED, "Interrupted while waiting for the login", e);
            }
            try {
                return oidc.deviceToken(tokenEndpoint, clientId, authorization.deviceCode());
            } catch (TokenRequestException e) {
                switch (e.error()) {
                    case "authorization_pending" -> {
                        // the person has not finished yet
                    }
                    case "slow_down" -> interval = interval.plus(SLOW_DOWN_STEP);
                    case "expired_token" -> throw expired();
                    case "access_denied" -> throw new CliException(ExitCode.NOT_LOGGED_IN,
                            "The login was denied in the browser.");
                    default -> throw e;
                }
            }
            if (!clock.instant().isBefore(expires)) {
                throw expired();
            }
        }
    }

    private static CliException expired() {
        return new CliException(ExitCode.NOT_LOGGED_IN,
                "The device code expired before the login was approved: run `seedloop login --device` again.");
    }
}
