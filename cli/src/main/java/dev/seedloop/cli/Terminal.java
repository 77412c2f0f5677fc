package dev.seedloop.cli;

import java.io.Console;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;

/** The person at the keyboard, when there is one: prompts, and whether output may update in place. */
public interface Terminal {

    /** Whether stdout is a terminal (progress lines update in place, prompts can be answered). */
    boolean interactive();

    String readLine(String prompt);

    /** Reads without echo. */
    char[] readPassword(String prompt);

    /** The JVM's console; without one (a pipe, CI) prompting fails with a hint to use the flags instead. */
    static Terminal system() {
        Console console = System.console();
        return new Terminal() {
            @Override
            public boolean interactive() {
                return console != null;
            }

            @Override
            public String readLine(String prompt) {
                String line = requireConsole().readLine("%s", prompt);
                if (line == null) {
                    throw new CliException(ExitCode.USAGE, "No answer to: " + prompt.trim());
                }
                return line.trim();
            }

            @Override
            public char[] readPassword(String prompt) {
                char[] password = requireConsole().readPassword("%s", prompt);
                if (password == null) {
                    throw new CliException(ExitCode.USAGE, "No password given");
                }
                return password;
            }

            private Console requireConsole() {
                if (console == null) {
                    throw new CliException(ExitCode.USAGE, "No terminal to ask on: pass --user and pipe the password "
                            + "with --password-stdin, or use --device.");
                }
                return console;
            }
        };
    }
}
