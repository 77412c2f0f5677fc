package dev.seedloop.stack;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import dev.seedloop.cli.CliEnvironment;
import dev.seedloop.cli.auth.Credentials;
import dev.seedloop.cli.auth.Login;
import dev.seedloop.cli.auth.OidcClient;
import dev.seedloop.cli.auth.Session;
import dev.seedloop.cli.client.ApiException;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.TokenSource;

/** The local stack's gateway as a realm user sees it, through the CLI's client classes: the demo's and chaos's way in. */
final class StackGateway {

    private StackGateway() {
    }

    /** Logs in with a password; the tokens stay in memory, so whoever runs this keeps their own credentials. */
    static GatewayClient login(String user, String password, PrintStream out) {
        HttpClient http = CliEnvironment.defaultHttpClient();
        OidcClient oidc = new OidcClient(http);
        GatewayClient anonymous = new GatewayClient(http, "http://127.0.0.1:" + StackLayout.GATEWAY_PORT,
                TokenSource.NONE);
        Login login = new Login(anonymous, oidc, Clock.systemUTC());
        Login.Discovery discovery = login.discover();
        Credentials credentials = login.withPassword(discovery, user, password.toCharArray());
        out.println("Logged in to " + discovery.auth().issuer() + " as " + credentials.user() + " (team "
                + credentials.team() + ").");
        return anonymous.withTokens(new Session(credentials, oidc, Clock.systemUTC(), renewed -> {
        }));
    }

    /**
     * Right after startup (or a restart of the learner or the broker) the learner may not have joined its query
     * consumer group yet, and the gateway answers reads (and the quota check of a creation) with 503 until it has. A
     * harmless read is retried until it answers, so that what follows is sent exactly once.
     */
    static void awaitLearnerAnswers(GatewayClient gateway, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                gateway.studies(null, 0, 1);
                return;
            } catch (ApiException e) {
                if (e.status() != 503 || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(1000);
        }
    }
}
