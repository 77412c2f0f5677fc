package dev.seedloop.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.seedloop.cli.client.Answer;
import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.ExportDownload;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.GatewayRecords.ImportAccepted;
import dev.seedloop.cli.client.Json;
import dev.seedloop.events.EventCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seedloop export} and {@code seedloop import}: a study as a checked file, out of and into a gateway. */
final class TransferCommands {

    private TransferCommands() {
    }

    /** "12 events", or "12 events, 3 trees" for a file that carries the study's code. */
    static String counts(long events, int trees) {
        return events + " events" + (trees > 0 ? ", " + trees + (trees == 1 ? " tree" : " trees") : "");
    }

    @Command(description = {"Writes every event of a study, then the trees its events name (workspace, held-out data, "
            + "proposals' code), as a checked JSON-lines file: to stdout, or with --file to FILE, replaced only by a "
            + "complete file.",
            "The file is checked as it arrives (chain, trailer, every blob and tree by hash): an incomplete one fails with exit 8; nothing reaches "
                    + "stdout then, and with --file what arrived is kept as FILE.partial.",
            "Example: seedloop export ID > study.jsonl, or seedloop export ID --file study.jsonl"})
    static final class Export implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "ID", description = "The study id.")
        String studyId;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE",
                description = "Write the file here (atomically, once complete) instead of to stdout.")
        Path file;

        Export(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() throws IOException {
            GatewayClient gateway = cli.gateway();
            ExportDownload download = new ExportDownload(new EventCodec());
            return file == null ? toStdout(gateway, download) : toFile(gateway, download);
        }

        /** Received into a private temporary file first: stdout gets the file only once it is known complete. */
        private int toStdout(GatewayClient gateway, ExportDownload download) throws IOException {
            // Owner-only like the file the user redirects to would be by umask at best: it holds the whole study.
            Path temp = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile("seedloop-export-", ".jsonl",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile("seedloop-export-", ".jsonl");
            try {
                try (OutputStream sink = new BufferedOutputStream(Files.newOutputStream(temp))) {
                    download.download(gateway, studyId, sink);
                } catch (ExportDownload.Incomplete incomplete) {
                    throw new CliException(incomplete.exitCode(), incomplete.getMessage()
                            + ". Nothing was written to stdout.", incomplete);
                }
                Files.copy(temp, cli.out());
                cli.out().flush();
                return ExitCode.OK;
            } finally {
                Files.deleteIfExists(temp);
            }
        }

        /** Received into FILE.partial, which becomes FILE only when complete: FILE never holds a cut export. */
        private int toFile(GatewayClient gateway, ExportDownload download) throws IOException {
            Path target = file.toAbsolutePath();
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            ExportDownload.Received received;
            try (OutputStream sink = new BufferedOutputStream(Files.newOutputStream(partial))) {
                received = download.download(gateway, studyId, sink);
            } catch (ExportDownload.Incomplete incomplete) {
                throw new CliException(incomplete.exitCode(), incomplete.getMessage() + ". What arrived is kept in "
                        + partial + (Files.exists(target) ? "; " + target + " was left as it was." : "."), incomplete);
            }
            try {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (cli.json()) {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("studyId", received.studyId());
                summary.put("events", received.events());
                summary.put("trees", received.trees());
                summary.put("file", target.toString());
                cli.out().println(Json.write(summary));
            } else {
                cli.out().printf("Exported study %s (%s) to %s.%n", received.studyId(),
                        counts(received.events(), received.trees()), target);
            }
            return ExitCode.OK;
        }
    }

    @Command(description = {"Imports an exported study and the trees it carries into your team (event ids preserved).",
            "A truncated or altered file (also a tree or blob not matching its hash) is refused with its line and "
                    + "reason, and nothing is imported. The file is streamed from disk."})
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
            Answer<ImportAccepted> answer = cli.gateway().importStudy(file);
            if (cli.json()) {
                cli.printJson(answer.json());
            } else {
                ImportAccepted imported = answer.value();
                cli.out().printf("Imported study %s (%s) into team %s.%n", imported.studyId(),
                        counts(imported.events(), imported.trees() == null ? 0 : imported.trees()), imported.team());
            }
            return ExitCode.OK;
        }
    }
}
