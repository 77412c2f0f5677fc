package dev.seedloop.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top of the command tree: the global options, inherited by every subcommand. */
@Command(name = "seedloop", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, sortOptions = false,
        description = "The Seedloop command line: log in, create and follow studies, approve champions, "
                + "read a study's events, see and set your team's quotas, upload workspaces and check out a champion's code. Talks only to the gateway (/api/v1).",
        exitCodeListHeading = "%nExit codes:%n",
        footerHeading = "%n",
        footer = {"Details and examples: cli/README.md. In a checkout, ./seedloop also runs the local stack: "
                + "up | down | status | demo | test | bench strategies (README.md)."})
final class SeedloopCommand {

    private final Cli cli;

    SeedloopCommand(Cli cli) {
        this.cli = cli;
    }

    @Option(names = "--gateway", paramLabel = "URL", scope = ScopeType.INHERIT, order = 1,
            description = "Gateway URL (default: $SEEDLOOP_GATEWAY, else the gateway you logged in to, "
                    + "else " + Cli.DEFAULT_GATEWAY + ").")
    void gateway(String url) {
        cli.gatewayOption = url;
    }

    @Option(names = "--output", paramLabel = "text|json", scope = ScopeType.INHERIT, order = 2,
            description = "text (default) for people; json: the gateway's JSON bodies verbatim, "
                    + "one JSON document per line for streams.")
    void output(OutputFormat format) {
        cli.output = format;
    }
}
