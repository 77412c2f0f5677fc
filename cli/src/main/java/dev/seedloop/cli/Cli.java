package dev.seedloop.cli;

import java.io.PrintStream;
import java.util.Optional;

import dev.seedloop.cli.auth.Credentials;
import dev.seedloop.cli.auth.OidcClient;
import dev.seedloop.cli.auth.Session;
import dev.seedloop.cli.auth.TokenStore;
import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.Json;
import dev.seedloop.cli.client.StudyStream;
import dev.seedloop.cli.client.TokenSource;

/**
 * What every command shares: the environment, the global options, and the clients built from them.
 * One per run; the global options are filled in by picocli before a command runs.
 */
final class Cli {

    static final String DEFAULT_GATEWAY = "http://127.0.0.1:8080";

    final CliEnvironment env;
    /** {@code --gateway}, null when not given. */
    String gatewayOption;
    OutputFormat output = OutputFormat.TEXT;

    Cli(CliEnvironment env) {
        this.env = env;
    }

    PrintStream out() {
        return env.out();
    }

    PrintStream err() {
        return env.err();
    }

    boolean json() {
        return output == OutputFormat.JSON;
    }

    TokenStore store() {
        return TokenStore.fromEnvironment(env.env());
    }

    OidcClient oidc() {
        return new OidcClient(env.http());
    }

    /** The gateway to log in through: {@code --gateway}, then {@code SEEDLOOP_GATEWAY}, then the default. */
    GatewayClient anonymousGateway() {
        return new GatewayClient(env.http(), explicitGateway().orElse(DEFAULT_GATEWAY), TokenSource.NONE);
    }

    /**
     * The logged-in session, renewing its tokens as needed and saving each renewal.
     *
     * @throws CliException {@link ExitCode#NOT_LOGGED_IN} without credentials
     */
    Session session() {
        TokenStore store = store();
        Credentials credentials = store.load().orElseThrow(() -> new CliException(ExitCode.NOT_LOGGED_IN,
                "Not logged in: run `seedloop login` first." + formerCredentialsNote(store)));
        return new Session(credentials, oidc(), env.clock(), store::save);
    }

    /** Tokens saved where an older CLI kept them are not read (they would tie the CLI to the stack's directory). */
    private String formerCredentialsNote(TokenStore store) {
        java.nio.file.Path former = TokenStore.formerFile(env.env());
        return java.nio.file.Files.isRegularFile(former) && !former.equals(store.file())
                ? " (Credentials now live in " + store.file().getParent() + "; " + former
                        + " is no longer read and can be deleted.)"
                : "";
    }

    /** The gateway as the logged-in user; without {@code --gateway}/{@code SEEDLOOP_GATEWAY}, the one logged in to. */
    GatewayClient gateway(Session session) {
        String url = explicitGateway().orElseGet(() -> Optional.ofNullable(session.credentials().gateway())
                .orElse(DEFAULT_GATEWAY));
        return new GatewayClient(env.http(), url, session);
    }

    GatewayClient gateway() {
        return gateway(session());
    }

    StudyStream stream(GatewayClient gateway) {
        return new StudyStream(gateway, env.clock(), env.sleeper(), env.streamGiveUp());
    }

    /** A gateway body as it came, on one line if it spanned several (one JSON document per line). */
    void printJson(String body) {
        String text = body.strip();
        out().println(text.indexOf('\n') < 0 ? text : Json.write(Json.tree(text)));
    }

    private Optional<String> explicitGateway() {
        if (gatewayOption != null && !gatewayOption.isBlank()) {
            return Optional.of(gatewayOption);
        }
        String fromEnv = env.env().get("SEEDLOOP_GATEWAY");
        return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(fromEnv);
    }
}
