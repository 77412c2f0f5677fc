package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.BlobRef;
import dev.seedloop.artifacts.ExportArtifacts;
import dev.seedloop.artifacts.InMemoryArtifactStore;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyExport;

/**
 * {@code seedloop export} hands out only a file it has checked whole (stdout, or {@code --file} written atomically);
 * {@code seedloop import} sends one and says what came in.
 */
class TransferCommandsTest extends CliTestBase {

    private static final String FILE = exportFile(20);

    /** A real export of the sample study with {@code n} events: header, events, trailer. */
    private static String exportFile(int n) {
        EventCodec codec = new EventCodec();
        List<EventEnvelope> events = new ArrayList<>();
        events.add(SampleEvents.studyCreated(Fixtures.STUDY));
        events.addAll(SampleEvents.proposals(Fixtures.STUDY, n - 1));
        StudyExport.Writer writer = new StudyExport.Writer();
        StringBuilder file = new StringBuilder(writer.header(Fixtures.STUDY, "team-a", n,
                Instant.parse("2026-11-28T12:00:00Z"))).append('\n');
        for (int i = 0; i < n; i++) {
            file.append(writer.event(i + 1, codec.encodeToString(events.get(i)))).append('\n');
        }
        return file.append(writer.trailer()).append('\n').toString();
    }

    /** The file up to the middle of its 11th event line. */
    private static String cutFile() {
        int eleventh = 0;
        for (int line = 0; line < 11; line++) {
            eleventh = FILE.indexOf('\n', eleventh) + 1;
        }
        return FILE.substring(0, eleventh + 80);
    }

    private void serveExport(String body) {
        gateway.route("GET", Fixtures.STUDY_PATH + "/export", (request, exchange) -> FakeGateway.respond(exchange, 200,
                body, Map.of("Content-Type", "application/x-ndjson")));
    }

    @Test
    void exportPrintsTheFileAsSentOnceItIsCheckedWhole() {
        serveExport(FILE);

        CliRunner.Result result = cli.run("export", Fixtures.STUDY);

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(FILE);
        assertThat(gateway.requestsTo(Fixtures.STUDY_PATH + "/export")).singleElement()
                .satisfies(r -> assertThat(r.header("Accept")).isEqualTo("application/x-ndjson"));
    }

    @Test
    void aStreamCutShortWithAProblemAppendedFailsLoudlyAndPrintsNothing() {
        // What a gateway used to send with status 200 when a later page failed.
        serveExport(cutFile() + "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                + "\"detail\":\"the learner did not answer in time; retry shortly\"}");

        CliRunner.Result result = cli.run("export", Fixtures.STUDY);

        assertThat(result.exit()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(result.out()).as("nothing that could be taken for the file").isEmpty();
        assertThat(result.err()).contains("incomplete").contains("line 12").doesNotContain("altered");
    }

    @Test
    void aConnectionThatBreaksOffFailsLoudly() {
        byte[] cut = cutFile().getBytes(StandardCharsets.UTF_8);
        gateway.route("GET", Fixtures.STUDY_PATH + "/export", (request, exchange) -> {
            exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(cut);
            out.flush();
            throw new FakeGateway.Drop();
        });

        CliRunner.Result result = cli.run("export", Fixtures.STUDY);

        assertThat(result.exit()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("incomplete");
    }

    @Test
    void exportToAFileWritesItOnlyWhenCompleteAndKeepsACutOneAsPartial() throws Exception {
        serveExport(FILE);
        Path target = home.resolve("study.jsonl");

        CliRunner.Result complete = cli.run("export", Fixtures.STUDY, "--file", target.toString());

        assertThat(complete.exit()).as(complete.err()).isZero();
        assertThat(Files.readString(target)).isEqualTo(FILE);
        assertThat(complete.out()).contains("20 events").contains(target.toString());

        serveExport(cutFile());
        Path other = home.resolve("other.jsonl");
        CliRunner.Result cut = cli.run("export", Fixtures.STUDY, "--file", other.toString());

        assertThat(cut.exit()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(other).doesNotExist();
        Path partial = home.resolve("other.jsonl.partial");
        assertThat(Files.readString(partial)).isEqualTo(cutFile());
        assertThat(cut.err()).contains("incomplete").contains(partial.toString());

        // A failed export over an existing complete file leaves the complete one alone.
        CliRunner.Result over = cli.run("export", Fixtures.STUDY, "--file", target.toString());
        assertThat(over.exit()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(Files.readString(target)).isEqualTo(FILE);
    }

    /** {@link #FILE} followed by the artifact section of one stored tree (a file over several data lines). */
    private static String fileWithTree() {
        InMemoryArtifactStore store = new InMemoryArtifactStore();
        byte[] weights = new byte[ExportArtifacts.DATA_BYTES + 100];
        new java.util.Random(3).nextBytes(weights);
        BlobRef code = store.putText("lr = 0.1\n");
        BlobRef data = store.putBlob(weights);
        Tree tree = Tree.of(List.of(new TreeEntry(TreePath.of("train.py"), TreeEntry.Kind.FILE, code.hash(), code.size()),
                new TreeEntry(TreePath.of("weights.bin"), TreeEntry.Kind.FILE, data.hash(), data.size())));
        store.putTree(tree);
        StringWriter section = new StringWriter();
        try {
            ExportArtifacts.write(store, List.of(tree), section);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return FILE + section;
    }

    @Test
    void anExportCarryingTreesIsCheckedByHashAndAcceptedWhole() throws Exception {
        String withTree = fileWithTree();
        serveExport(withTree);
        Path target = home.resolve("with-tree.jsonl");

        CliRunner.Result stdout = cli.run("export", Fixtures.STUDY);
        assertThat(stdout.exit()).as(stdout.err()).isZero();
        assertThat(stdout.out()).isEqualTo(withTree);

        CliRunner.Result complete = cli.run("export", Fixtures.STUDY, "--file", target.toString());
        assertThat(complete.exit()).as(complete.err()).isZero();
        assertThat(Files.readString(target)).isEqualTo(withTree);
        assertThat(complete.out()).contains("(20 events, 1 tree)");
    }

    @Test
    void anExportCutInsideItsTreesOrWithAnAlteredBlobFailsLoudly() {
        String withTree = fileWithTree();
        // Cut after the first data line of the big blob: the events' trailer is there, the trees are not whole.
        int cut = withTree.indexOf("{\"data\"", withTree.indexOf("{\"blob\"", withTree.indexOf("\"sha256:",
                withTree.indexOf("seedloopArtifacts"))));
        serveExport(withTree.substring(0, withTree.indexOf('\n', cut) + 1));
        CliRunner.Result cutShort = cli.run("export", Fixtures.STUDY);
        assertThat(cutShort.exit()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(cutShort.out()).isEmpty();
        assertThat(cutShort.err()).contains("incomplete");

        List<String> lines = new ArrayList<>(withTree.lines().toList());
        int blob = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("{\"blob\"") && lines.get(i).endsWith("\"size\":9}")) {
                blob = i;
            }
        }
        lines.set(blob + 1, "{\"data\":\"" + java.util.Base64.getEncoder().encodeToString(
                "lr = 9.9\n".getBytes(StandardCharsets.UTF_8)) + "\"}");
        serveExport(String.join("\n", lines) + "\n");
        CliRunner.Result altered = cli.run("export", Fixtures.STUDY);
        assertThat(altered.exit()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(altered.out()).isEmpty();
        assertThat(altered.err()).contains("line " + (blob + 1)).contains("hash");
    }

    @Test
    void importStreamsAFileWithTreesAndSaysHowManyCameIn() throws Exception {
        String withTree = fileWithTree();
        gateway.json("POST", "/api/v1/imports", 202,
                "{\"studyId\":\"s-2\",\"team\":\"team-b\",\"events\":20,\"importedBy\":\"bob\",\"trees\":1}");
        Path file = Files.writeString(home.resolve("with-tree.jsonl"), withTree);

        CliRunner.Result result = cli.run("import", file.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("Imported study s-2 (20 events, 1 tree) into team team-b.");
        assertThat(gateway.requestsTo("/api/v1/imports")).singleElement()
                .satisfies(r -> assertThat(r.body()).isEqualTo(withTree));
    }

    @Test
    void importSendsTheFileAndReportsTheStudy() throws Exception {
        gateway.json("POST", "/api/v1/imports", 202,
                "{\"studyId\":\"s-1\",\"team\":\"team-a\",\"events\":3,\"importedBy\":\"alice\"}");
        Path file = Files.writeString(home.resolve("study.jsonl"), FILE);

        CliRunner.Result result = cli.run("import", file.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("Imported study s-1 (3 events) into team team-a.");
        assertThat(gateway.requestsTo("/api/v1/imports")).singleElement().satisfies(r -> {
            assertThat(r.body()).isEqualTo(FILE);
            assertThat(r.header("Content-Type")).isEqualTo("application/x-ndjson");
        });
    }

    @Test
    void aRefusedFileNamesItsLineAndAMissingFileIsAUsageError() throws Exception {
        gateway.json("POST", "/api/v1/imports", 400, """
                {"type":"https://seedloop.dev/problems/invalid-export","title":"Study export refused","status":400,
                 "detail":"the file was refused at line 2; nothing was imported",
                 "errors":[{"path":"line 2","message":"the event does not match its chain hash"}]}""");
        Path file = Files.writeString(home.resolve("damaged.jsonl"), FILE);

        CliRunner.Result refused = cli.run("import", file.toString());
        assertThat(refused.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.err()).contains("line 2").contains("chain hash");

        assertThat(cli.run("import", home.resolve("nope.jsonl").toString()).exit()).isEqualTo(ExitCode.USAGE);
    }
}
