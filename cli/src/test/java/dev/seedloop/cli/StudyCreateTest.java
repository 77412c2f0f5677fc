package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.seedloop.cli.client.ExitCode;

class StudyCreateTest extends CliTestBase {

    private static final String ACCEPTED = "{\"studyId\":\"s-1\",\"eventId\":\"e-1\",\"name\":\"branin\","
            + "\"team\":\"team-a\",\"strategy\":\"tpe\",\"seed\":7,\"specSha256\":\"sha256:ab\"}";

    /** Where the spec files are (the CLI's home is another directory). */
    @TempDir
    Path dir;

    @BeforeEach
    void acceptStudies() {
        gateway.json("POST", "/api/v1/studies", 201, ACCEPTED);
    }

    @Test
    void aRelativeWorkspaceIsResolvedAgainstTheSpecFilesDirectory() throws Exception {
        Path spec = Files.createDirectories(dir.resolve("studies")).resolve("branin.yaml");
        Files.writeString(spec, """
                # tune branin
                name: branin
                workspace: ../functions/workspace
                objective: {metric: value, direction: minimize}
                searchSpace:
                  - {name: x, kind: float, low: -5.0, high: 10.0}
                seed: 7
                """);

        CliRunner.Result result = cli.run("study", "create", "-f", spec.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Study s-1 created: \"branin\", team team-a, strategy tpe, seed 7.");
        FakeGateway.Request sent = gateway.requestsTo("/api/v1/studies").getFirst();
        assertThat(sent.header("Content-Type")).isEqualTo("application/yaml");
        JsonNode body = new YAMLMapper().readTree(sent.body());
        assertThat(body.path("workspace").asText()).isEqualTo(dir.resolve("functions/workspace").toString());
        assertThat(body.path("searchSpace").get(0).path("low").asDouble()).isEqualTo(-5.0);
        assertThat(body.path("seed").asInt()).isEqualTo(7);
        assertThat(body.path("objective").path("direction").asText()).isEqualTo("minimize");
    }

    @Test
    void aSpecWithAnAbsoluteWorkspaceIsSentAsWritten() throws Exception {
        String text = "name: branin   # comment kept\nworkspace: /srv/work\n";
        Path spec = Files.writeString(dir.resolve("spec.yaml"), text);

        assertThat(cli.run("study", "create", "-f", spec.toString()).exit()).isZero();
        assertThat(gateway.requestsTo("/api/v1/studies").getFirst().body()).isEqualTo(text);
    }

    @Test
    void aJsonSpecWithARelativeWorkspaceIsRewrittenToo() throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.json"), "{\"name\":\"b\",\"workspace\":\"ws\"}");

        assertThat(cli.run("study", "create", "-f", spec.toString()).exit()).isZero();
        JsonNode body = new YAMLMapper().readTree(gateway.requestsTo("/api/v1/studies").getFirst().body());
        assertThat(body.path("workspace").asText()).isEqualTo(dir.resolve("ws").toString());
    }

    @Test
    void aMissingFileIsAUsageError() {
        CliRunner.Result result = cli.run("study", "create", "-f", dir.resolve("nope.yaml").toString());

        assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("No such spec file");
        assertThat(gateway.requests).isEmpty();
    }

    @Test
    void jsonOutputIsTheGatewaysAnswer() throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.yaml"), "name: b\nworkspace: /w\n");

        CliRunner.Result result = cli.run("--output", "json", "study", "create", "-f", spec.toString());

        assertThat(result.out()).isEqualTo(ACCEPTED + System.lineSeparator());
    }

    @Test
    void aForkSendsItsSpecToTheSourcesForksWithTheSequence() throws Exception {
        gateway.json("POST", "/api/v1/studies/src-1/forks", 201, "{\"studyId\":\"f-1\",\"eventId\":\"e-2\","
                + "\"name\":\"branin tpe\",\"team\":\"team-a\",\"strategy\":\"tpe\",\"seed\":8,"
                + "\"specSha256\":\"sha256:cd\",\"forkedFrom\":\"src-1\",\"forkedAt\":42,\"inherited\":17}");
        Path spec = Files.writeString(dir.resolve("fork.yaml"), "name: branin tpe\nworkspace: ws\nstrategy: tpe\n");

        CliRunner.Result result = cli.run("study", "fork", "src-1", "--at", "42", "-f", spec.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Study f-1 forked from src-1 at sequence 42 (17 evaluated proposals "
                + "inherited): \"branin tpe\", strategy tpe, seed 8.");
        FakeGateway.Request sent = gateway.requestsTo("/api/v1/studies/src-1/forks").getFirst();
        assertThat(sent.query()).isEqualTo("at=42");
        assertThat(sent.header("Content-Type")).isEqualTo("application/yaml");
        assertThat(new YAMLMapper().readTree(sent.body()).path("workspace").asText())
                .as("a relative workspace is resolved as for create").isEqualTo(dir.resolve("ws").toString());
    }

    @Test
    void forkingAnUnknownStudyExitsWithNotFound() throws Exception {
        Path spec = Files.writeString(dir.resolve("fork.yaml"), "name: b\n");

        CliRunner.Result result = cli.run("study", "fork", "nope", "-f", spec.toString());

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(gateway.requestsTo("/api/v1/studies/nope/forks").getFirst().query()).isNull();
    }
}
