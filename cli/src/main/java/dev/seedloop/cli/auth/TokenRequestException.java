package dev.seedloop.cli.auth;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;

/**
 * The token endpoint refused a request with an OAuth error ({@code invalid_grant},
 * {@code authorization_pending}, ...). Ends the CLI with {@link ExitCode#NOT_LOGGED_IN} unless handled.
 */
public final class TokenRequestException extends CliException {

    private final String error;
    private final String description;

    TokenRequestException(String error, String description) {
        super(ExitCode.NOT_LOGGED_IN, "Login refused: " + (description == null || description.isBlank() ? error
                : description + " (" + error + ")"));
        this.error = error;
        this.description = description;
    }

    /** The OAuth error code, e.g. {@code authorization_pending}. */
    public String error() {
        return error;
    }

    public String description() {
        return description;
    }
}
