package dev.seedloop.cli;

import java.util.concurrent.Callable;

import dev.seedloop.cli.client.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code seedloop postmortem}: a study's postmortem as the gateway renders it. The gateway does the rendering,
 * so the CLI, a browser and a script all read the same report.
 */
@Command(description = {"A study's postmortem: timeline, champion lineage with the evidence for each promotion, "
        + "yield per operator, failures grouped by log fingerprint, possible reward hacking, time queued per stage, "
        + "halts and approvals.",
        "Markdown by default; --format html is a self-contained page (redirect it to a file and open it), "
                + "--format json (or --output json) the gateway's JSON on one line."})
final class PostmortemCommand implements Callable<Integer> {

    /** What to ask the gateway for; typed in lower case. */
    enum Format {
        MD("text/markdown"), JSON("application/json"), HTML("text/html");

        final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }
    }

    private final Cli cli;

    @Parameters(paramLabel = "ID", description = "The study id.")
    String studyId;

    @Option(names = "--format", paramLabel = "md|json|html",
            description = "md (default; json with --output json), json or html.")
    Format format;

    PostmortemCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Format wanted = format != null ? format : cli.json() ? Format.JSON : Format.MD;
        String body = cli.gateway().postmortem(studyId, wanted.mediaType);
        if (wanted == Format.JSON) {
            cli.printJson(body);
        } else {
            cli.out().print(body.endsWith("\n") ? body : body + "\n");
        }
        return ExitCode.OK;
    }
}
