package dev.seedloop.cli.client;

import java.util.List;

/**
 * A failure to report to the user: a readable message (plus optional detail lines, e.g. spec
 * violations) and the {@link ExitCode} the process ends with. No stack trace is shown for these.
 */
public class CliException extends RuntimeException {

    private final int exitCode;
    private final List<String> details;

    public CliException(int exitCode, String message) {
        this(exitCode, message, List.of(), null);
    }

    public CliException(int exitCode, String message, Throwable cause) {
        this(exitCode, message, List.of(), cause);
    }

    public CliException(int exitCode, String message, List<String> details, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.details = List.copyOf(details);
    }

    public int exitCode() {
        return exitCode;
    }

    /** Further lines shown under the message, indented. */
    public List<String> details() {
        return details;
    }
}
