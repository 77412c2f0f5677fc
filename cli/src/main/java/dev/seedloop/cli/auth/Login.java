package dev.seedloop.cli.auth;

import java.time.Clock;
import java.util.function.Consumer;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.GatewayRecords.AuthInfo;

/**
 * Logging in to a gateway: it names the issuer and the CLI's client ({@code GET /api/v1/auth}), the
 * issuer's discovery document names the endpoints, then a grant yields the tokens. Shared by
 * {@code seedloop login} and the stack's demo.
 */
public final class Login {

    /** Where to log in, as the gateway and its issuer said. */
    public record Discovery(String gateway, AuthInfo auth, OidcEndpoints endpoints) {
    }

    private final GatewayClient gateway;
    private final OidcClient oidc;
    private final Clock clock;

    /** @param gateway a client of the gateway; its tokens are not used */
    public Login(GatewayClient gateway, OidcClient oidc, Clock clock) {
        this.gateway = gateway;
        this.oidc = oidc;
        this.clock = clock;
    }

    public Discovery discover() {
        AuthInfo auth = gateway.auth();
        if (auth.issuer() == null || auth.cliClientId() == null) {
            throw new CliException(ExitCode.UNEXPECTED, "The gateway's /api/v1/auth names no issuer or client id");
        }
        return new Discovery(gateway.baseUrl(), auth, oidc.discover(auth.issuer()));
    }

    public Credentials withPassword(Discovery discovery, String user, char[] password) {
        TokenResponse tokens = oidc.passwordGrant(discovery.endpoints().tokenEndpoint(),
                discovery.auth().cliClientId(), user, password);
        return credentials(discovery, user, tokens);
    }

    /**
     * The device grant: {@code show} tells the person where to go and what code to enter, then this
     * blocks until they approved (or the code expired).
     */
    public Credentials withDevice(Discovery discovery, DeviceLogin polling, Consumer<DeviceAuthorization> show) {
        String endpoint = discovery.endpoints().deviceAuthorizationEndpoint();
        if (endpoint == null) {
            throw new CliException(ExitCode.NOT_LOGGED_IN, "The identity provider " + discovery.auth().issuer()
                    + " offers no device login; log in with a password instead.");
        }
        DeviceAuthorization authorization = oidc.authorizeDevice(endpoint, discovery.auth().cliClientId());
        show.accept(authorization);
        TokenResponse tokens = polling.await(discovery.endpoints().tokenEndpoint(), discovery.auth().cliClientId(),
                authorization);
        return credentials(discovery, null, tokens);
    }

    private Credentials credentials(Discovery discovery, String user, TokenResponse tokens) {
        // The token's own user name wins: with the device grant the CLI never learns it otherwise.
        String name = JwtClaims.string(tokens.accessToken(), "preferred_username").orElse(user);
        Credentials blank = new Credentials(discovery.gateway(), discovery.auth().issuer(),
                discovery.auth().cliClientId(), discovery.endpoints().tokenEndpoint(), name, null, null, null, null,
                null);
        return blank.renewed(tokens, clock.instant());
    }
}
