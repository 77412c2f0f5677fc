package dev.seedloop.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.seedloop.cli.client.Answer;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayRecords.ImportAccepted;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code seedloop export} and {@code seedloop import}: a study as a checked file, out of and into a gateway. */
final class TransferCommands {

    private TransferCommands() {
    }

    @Command(description = {"Writes every event of a study, as a checked JSON-lines file, to stdout.",
            "Example: seedloop export ID > study.jsonl"})
    static final class Export implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "ID", description = "The study id.")
        String studyId;

        Export(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String file = cli.gateway().exportStudy(studyId);
            cli.out().print(file.endsWith("\n") ? file : file + "\n");
            return ExitCode.OK;
        }
    }

    @Command(description = {"Imports an exported study into your team (event ids preserved).",
            "A truncated or altered file is refused with its line and reason, and nothing is imported."})
    static final class Import implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "FILE", description = "The export file (from seedloop export).")
        Path file;

        Import(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) {
                cli.err().println("No such file: " + file);
                return ExitCode.USAGE;
            }
            Answer<ImportAccepted> answer = cli.gateway().importStudy(Files.readString(file, StandardCharsets.UTF_8));
            if (cli.json()) {
                cli.printJson(answer.json());
            } else {
                ImportAccepted imported = answer.value();
                cli.out().printf("Imported study %s (%d events) into team %s.%n", imported.studyId(),
                        imported.events(), imported.team());
            }
            return ExitCode.OK;
        }
    }
}
