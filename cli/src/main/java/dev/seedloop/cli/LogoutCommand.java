package dev.seedloop.cli;

import java.util.concurrent.Callable;

import dev.seedloop.cli.auth.TokenStore;
import dev.seedloop.cli.client.ExitCode;
import picocli.CommandLine.Command;

/**
 * {@code seedloop logout}: forgets the tokens. The refresh token is not revoked at the issuer; it dies
 * with the session's idle timeout.
 */
@Command(description = "Delete the saved tokens (credentials.json).")
final class LogoutCommand implements Callable<Integer> {

    private final Cli cli;

    LogoutCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        TokenStore store = cli.store();
        boolean deleted = store.delete();
        if (cli.json()) {
            cli.out().println("{\"loggedOut\":" + deleted + "}");
        } else {
            cli.out().println(deleted ? "Logged out (deleted " + store.file() + ")." : "Not logged in.");
        }
        return ExitCode.OK;
    }
}
