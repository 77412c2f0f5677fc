package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.seedloop.cli.client.ExitCode;

/** {@code seedloop export} writes the gateway's file verbatim; {@code seedloop import} sends one and says what came in. */
class TransferCommandsTest extends CliTestBase {

    private static final String FILE = "{\"seedloopExport\":1}\n{\"sequence\":1}\n{\"end\":true}\n";

    @Test
    void exportPrintsTheFileAsSent() {
        gateway.route("GET", Fixtures.STUDY_PATH + "/export", (request, exchange) -> FakeGateway.respond(exchange, 200,
                FILE, Map.of("Content-Type", "application/x-ndjson")));

        CliRunner.Result result = cli.run("export", Fixtures.STUDY);

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(FILE);
        assertThat(gateway.requestsTo(Fixtures.STUDY_PATH + "/export")).singleElement()
                .satisfies(r -> assertThat(r.header("Accept")).isEqualTo("application/x-ndjson"));
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
                {"type":"https://seedloop.dev/problems/invalid-export","title":"Damaged study export","status":400,
                 "detail":"the file was refused at line 2; nothing was imported",
                 "errors":[{"path":"line 2","message":"the event does not match its chain hash"}]}""");
        Path file = Files.writeString(home.resolve("damaged.jsonl"), FILE);

        CliRunner.Result refused = cli.run("import", file.toString());
        assertThat(refused.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.err()).contains("line 2").contains("chain hash");

        assertThat(cli.run("import", home.resolve("nope.jsonl").toString()).exit()).isEqualTo(ExitCode.USAGE);
    }
}
