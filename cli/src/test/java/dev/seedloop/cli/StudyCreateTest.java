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

    FakeWorkspaces workspaces;

    @BeforeEach
    void acceptStudies() {
        workspaces = new FakeWorkspaces(gateway);
        gateway.json("POST", "/api/v1/studies", 201, ACCEPTED);
    }

    private static final String TREE = "sha256:" + "5d".repeat(32);

    /** A workspace directory with one file. */
    private Path workspace(String relative) throws Exception {
        Path workspace = Files.createDirectories(dir.resolve(relative));
        Files.writeString(workspace.resolve("branin.py"), "print('value', 1.0)\n");
        return workspace;
    }

    /** The one tree the stand-in stored: what the CLI uploaded. */
    private String uploadedTree() {
        assertThat(workspaces.storedTrees()).hasSize(1);
        return workspaces.storedTrees().iterator().next();
    }

    @Test
    void aRelativeWorkspaceIsUploadedAndOnlyItsValueInTheSpecTextBecomesTheTreeHash() throws Exception {
        workspace("functions/workspace");
        Path spec = Files.createDirectories(dir.resolve("studies")).resolve("branin.yaml");
        String text = """
                # tune branin
                name: branin
                workspace: ../functions/workspace   # the code, uploaded by the CLI
                objective: {metric: value, direction: minimize}
                searchSpace:
                  - {name: x, kind: float, low: -5.0, high: 10.0}
                seed: 7
                """;
        Files.writeString(spec, text);

        CliRunner.Result result = cli.run("study", "create", "-f", spec.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Study s-1 created: \"branin\", team team-a, strategy tpe, seed 7.");
        assertThat(result.err()).contains("Uploaded workspace ../functions/workspace ("
                + dir.resolve("functions/workspace") + ") as " + uploadedTree());
        FakeGateway.Request sent = gateway.requestsTo("/api/v1/studies").getFirst();
        assertThat(sent.header("Content-Type")).isEqualTo("application/yaml");
        assertThat(sent.body()).as("the text as written but for the workspace's value (specSha256 hashes it)")
                .isEqualTo(text.replace("../functions/workspace", "\"" + uploadedTree() + "\""));
    }

    @Test
    void heldOutDataNamingADirectoryIsUploadedAsWell() throws Exception {
        workspace("ws");
        Path heldOut = Files.createDirectories(dir.resolve("held-out"));
        Files.writeString(heldOut.resolve("test.csv"), "x,y\n1,2\n");
        String text = """
                name: branin
                workspace: ./ws
                validation:
                  heldOutCommand: [python3, heldout.py]
                  heldOutData: 'held-out'
                """;
        Path spec = Files.writeString(dir.resolve("spec.yaml"), text);

        CliRunner.Result result = cli.run("study", "create", "-f", spec.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(workspaces.storedTrees()).hasSize(2);
        JsonNode body = new YAMLMapper().readTree(gateway.requestsTo("/api/v1/studies").getFirst().body());
        String workspaceTree = body.path("workspace").asText();
        String heldOutTree = body.path("validation").path("heldOutData").asText();
        assertThat(workspaces.storedTrees()).containsExactlyInAnyOrder(workspaceTree, heldOutTree);
        assertThat(workspaceTree).isNotEqualTo(heldOutTree);
        assertThat(gateway.requestsTo("/api/v1/studies").getFirst().body()).isEqualTo(text
                .replace("./ws", "\"" + workspaceTree + "\"").replace("'held-out'", "\"" + heldOutTree + "\""));
    }

    @Test
    void aSpecNamingTreesIsSentAsWrittenWithoutUploading() throws Exception {
        String text = "name: branin   # comment kept\nworkspace: " + TREE + "\n";
        Path spec = Files.writeString(dir.resolve("spec.yaml"), text);

        assertThat(cli.run("study", "create", "-f", spec.toString()).exit()).isZero();
        assertThat(gateway.requestsTo("/api/v1/studies").getFirst().body()).isEqualTo(text);
        assertThat(gateway.requests.stream().filter(r -> r.path().startsWith(FakeWorkspaces.UPLOAD))).isEmpty();
    }

    @Test
    void anAbsoluteWorkspaceIsALocalDirectoryToo() throws Exception {
        Path workspace = workspace("abs");
        Path spec = Files.writeString(dir.resolve("spec.yaml"), "name: b\nworkspace: " + workspace + "\n");

        assertThat(cli.run("study", "create", "-f", spec.toString()).exit()).isZero();
        assertThat(gateway.requestsTo("/api/v1/studies").getFirst().body())
                .isEqualTo("name: b\nworkspace: \"" + uploadedTree() + "\"\n");
    }

    @Test
    void aWorkspaceThatIsNoDirectoryIsAUsageErrorAndNoStudyIsCreated() throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.yaml"), "name: b\nworkspace: ./missing\n");

        CliRunner.Result result = cli.run("study", "create", "-f", spec.toString());

        assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("Not a directory: " + dir.resolve("missing"));
        assertThat(gateway.requests).isEmpty();
    }

    @Test
    void anAnchoredOrQuotedWorkspaceStillGetsTheTree() throws Exception {
        workspace("my ws");
        Path spec = Files.writeString(dir.resolve("spec.yaml"), "workspace: &code \"./my ws\"\nname: b # kept\n");

        CliRunner.Result result = cli.run("study", "create", "-f", spec.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        String sent = gateway.requestsTo("/api/v1/studies").getFirst().body();
        JsonNode body = new YAMLMapper().readTree(sent);
        assertThat(body.path("workspace").asText()).isEqualTo(uploadedTree());
        assertThat(body.path("name").asText()).isEqualTo("b");
        assertThat(sent).endsWith("name: b # kept\n");
    }

    @Test
    void aJsonSpecWithARelativeWorkspaceIsRewrittenToo() throws Exception {
        workspace("ws");
        Path spec = Files.writeString(dir.resolve("spec.json"), "{\"name\":\"b\",\"workspace\":\"ws\"}");

        assertThat(cli.run("study", "create", "-f", spec.toString()).exit()).isZero();
        assertThat(gateway.requestsTo("/api/v1/studies").getFirst().body())
                .isEqualTo("{\"name\":\"b\",\"workspace\":\"" + uploadedTree() + "\"}");
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
        Path spec = Files.writeString(dir.resolve("spec.yaml"), "name: b\nworkspace: " + TREE + "\n");

        CliRunner.Result result = cli.run("--output", "json", "study", "create", "-f", spec.toString());

        assertThat(result.out()).isEqualTo(ACCEPTED + System.lineSeparator());
    }

    @Test
    void aForkSendsItsSpecToTheSourcesForksWithTheSequence() throws Exception {
        gateway.json("POST", "/api/v1/studies/src-1/forks", 201, "{\"studyId\":\"f-1\",\"eventId\":\"e-2\","
                + "\"name\":\"branin tpe\",\"team\":\"team-a\",\"strategy\":\"tpe\",\"seed\":8,"
                + "\"specSha256\":\"sha256:cd\",\"forkedFrom\":\"src-1\",\"forkedAt\":42,\"inherited\":17}");
        workspace("ws");
        Path spec = Files.writeString(dir.resolve("fork.yaml"), "name: branin tpe\nworkspace: ws\nstrategy: tpe\n");

        CliRunner.Result result = cli.run("study", "fork", "src-1", "--at", "42", "-f", spec.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Study f-1 forked from src-1 at sequence 42 (17 evaluated proposals "
                + "inherited): \"branin tpe\", strategy tpe, seed 8.");
        FakeGateway.Request sent = gateway.requestsTo("/api/v1/studies/src-1/forks").getFirst();
        assertThat(sent.query()).isEqualTo("at=42");
        assertThat(sent.header("Content-Type")).isEqualTo("application/yaml");
        assertThat(new YAMLMapper().readTree(sent.body()).path("workspace").asText())
                .as("a local workspace is uploaded as for create").isEqualTo(uploadedTree());
    }

    @Test
    void forkingAnUnknownStudyExitsWithNotFound() throws Exception {
        Path spec = Files.writeString(dir.resolve("fork.yaml"), "name: b\n");

        CliRunner.Result result = cli.run("study", "fork", "nope", "-f", spec.toString());

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(gateway.requestsTo("/api/v1/studies/nope/forks").getFirst().query()).isNull();
    }
}
