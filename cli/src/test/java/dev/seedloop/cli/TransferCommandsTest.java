package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
