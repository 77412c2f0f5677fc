package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.seedloop.cli.FakeWorkspaces.Entry;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.Json;

class WorkspaceCommandsTest extends CliTestBase {

    private static final String OTHER_TREE = "sha256:" + "ab".repeat(32);

    @TempDir
    Path dir;

    FakeWorkspaces workspaces;

    @BeforeEach
    void workspaces() {
        workspaces = new FakeWorkspaces(gateway);
    }

    /** A small project: nested files, an executable, a link inside, and files its .seedloopignore excludes. */
    private Path project() throws IOException {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.writeString(project.resolve(".seedloopignore"), "# not code\n*.log\nsecrets/\n/local.env\n");
        Files.writeString(project.resolve("train.py"), "print('hello')\n");
        Files.createDirectories(project.resolve("src/pkg"));
        Files.writeString(project.resolve("src/pkg/model.py"), "x = 1\n");
        Path run = Files.writeString(project.resolve("run.sh"), "#!/bin/sh\npython3 train.py\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(project.resolve("src/current.py"), Path.of("pkg/model.py"));
        Files.writeString(project.resolve("debug.log"), "noise\n");
        Files.writeString(project.resolve("src/pkg/trace.log"), "noise\n");
        Files.createDirectories(project.resolve("secrets"));
        Files.writeString(project.resolve("secrets/token"), "s3cr3t\n");
        Files.writeString(project.resolve("local.env"), "PASSWORD=x\n");
        return project;
    }

    @Test
    void pushUploadsWhatSeedloopIgnoreKeepsAndPrintsTheTreeTheGatewayStored() throws Exception {
        CliRunner.Result result = cli.run("workspace", "push", project().toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(workspaces.uploads()).hasSize(1);
        FakeGateway.Request upload = gateway.requestsTo(FakeWorkspaces.UPLOAD).getFirst();
        assertThat(upload.header("Content-Type")).isEqualTo("application/gzip");
        assertThat(upload.header("Authorization")).startsWith("Bearer ");
        assertThat(FakeWorkspaces.entryNames(upload.bytes())).containsExactlyInAnyOrder(
                ".seedloopignore", "run.sh", "src/current.py", "src/pkg/model.py", "train.py");
        assertThat(workspaces.storedTrees()).hasSize(1);
        assertThat(result.out().strip()).as("the tree the gateway computed from the archive")
                .isEqualTo(workspaces.storedTrees().iterator().next()).matches("sha256:[0-9a-f]{64}");
        assertThat(result.err()).contains("Uploaded ", "5 files");
    }

    @Test
    void pushingTheSameDirectoryAgainGivesTheSameHashAndSendsNothing() throws Exception {
        Path project = project();
        CliRunner.Result first = cli.run("workspace", "push", "--json", project.toString());
        CliRunner.Result second = cli.run("workspace", "push", "--json", project.toString());

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(second.exit()).as(second.err()).isZero();
        JsonNode one = Json.tree(first.out());
        JsonNode two = Json.tree(second.out());
        assertThat(one.path("uploaded").asBoolean()).isTrue();
        assertThat(two.path("uploaded").asBoolean()).isFalse();
        assertThat(two.path("tree").asText()).isEqualTo(one.path("tree").asText());
        assertThat(two.path("files").asInt()).isEqualTo(5);
        assertThat(workspaces.uploads()).as("the second push only asked").hasSize(1);
        assertThat(gateway.requestsTo(FakeWorkspaces.UPLOAD + "/" + one.path("tree").asText())).hasSize(2);
    }

    @Test
    void aDirectoryWithALinkLeavingItIsRefusedBeforeAnythingIsSent() throws Exception {
        Path project = Files.createDirectories(dir.resolve("leaky"));
        Files.createSymbolicLink(project.resolve("passwd"), Path.of("../../../etc/passwd"));

        CliRunner.Result result = cli.run("workspace", "push", project.toString());

        assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("symlink-escapes");
        assertThat(gateway.requests).isEmpty();
    }

    @Test
    void pushingAFileOrNothingIsAUsageError() throws Exception {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");

        assertThat(cli.run("workspace", "push", file.toString()).exit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("workspace", "push", dir.resolve("missing").toString()).exit()).isEqualTo(ExitCode.USAGE);
        assertThat(gateway.requests).isEmpty();
    }

    @Test
    void aRefusedUploadShowsTheGatewaysReason() throws Exception {
        gateway.json("POST", FakeWorkspaces.UPLOAD, 413, "{\"title\":\"Workspace too large\",\"status\":413,"
                + "\"detail\":\"over 64 MiB\",\"reason\":\"limit-exceeded\"}");

        CliRunner.Result result = cli.run("workspace", "push", project().toString());

        assertThat(result.exit()).isEqualTo(ExitCode.UNEXPECTED);
        assertThat(result.err().lines()).containsExactly(
                "seedloop: Workspace too large (HTTP 413): over 64 MiB", "  reason: limit-exceeded");
    }

    @Test
    void checkoutWritesBackExactlyTheFilesAndModesThatWerePushed() throws Exception {
        Path project = project();
        String tree = Json.tree(cli.run("workspace", "push", "--json", project.toString()).out()).path("tree")
                .asText();
        Path target = dir.resolve("out/copy");

        CliRunner.Result result = cli.run("checkout", "--tree", tree, target.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("Checked out " + tree + " (5 files)");
        Map<String, String> pushed = snapshot(project);
        pushed.keySet().removeIf(path -> path.endsWith(".log") || path.startsWith("secrets") || path.equals("local.env"));
        assertThat(snapshot(target)).isEqualTo(pushed);
        assertThat(Files.isSymbolicLink(target.resolve("src/current.py"))).isTrue();
        assertThat(Files.readSymbolicLink(target.resolve("src/current.py"))).isEqualTo(Path.of("pkg/model.py"));
        assertThat(Files.getPosixFilePermissions(target.resolve("run.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(target.resolve("train.py")))
                .doesNotContain(PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void checkoutOfAStudysChampionFollowsTheStudyViewToTheChampionsTree() throws Exception {
        String tree = Json.tree(cli.run("workspace", "push", "--json", project().toString()).out()).path("tree")
                .asText();
        UUID champion = UUID.randomUUID();
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.longStudyView(9, champion));
        gateway.json("GET", Fixtures.STUDY_PATH + "/proposals/" + champion + "/tree", 200, "{\"proposalId\":\""
                + champion + "\",\"parentTree\":\"" + OTHER_TREE + "\",\"tree\":\"" + tree + "\"}");
        Path target = dir.resolve("champion");

        CliRunner.Result result = cli.run("checkout", Fixtures.STUDY, "--champion", target.toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(Files.readString(target.resolve("train.py"))).isEqualTo("print('hello')\n");
    }

    @Test
    void checkoutOfAProposalAsksForThatProposalsTree() throws Exception {
        String tree = Json.tree(cli.run("workspace", "push", "--json", project().toString()).out()).path("tree")
                .asText();
        String proposal = UUID.randomUUID().toString();
        gateway.json("GET", Fixtures.STUDY_PATH + "/proposals/" + proposal + "/tree", 200, "{\"proposalId\":\""
                + proposal + "\",\"parentTree\":null,\"tree\":\"" + tree + "\"}");

        CliRunner.Result result = cli.run("checkout", Fixtures.STUDY, "--proposal", proposal,
                dir.resolve("p").toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(gateway.requestsTo(Fixtures.STUDY_PATH)).as("the study view is not needed").isEmpty();
        assertThat(Files.exists(dir.resolve("p/src/pkg/model.py"))).isTrue();
    }

    @Test
    void aStudyWithoutChampionHasNothingToCheckOut() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 3));

        CliRunner.Result result = cli.run("checkout", Fixtures.STUDY, dir.resolve("none").toString());

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(result.err()).contains("has no champion yet");
        assertThat(dir.resolve("none")).doesNotExist();
    }

    @Test
    void checkoutIntoANonEmptyDirectoryIsRefusedBeforeAnyDownload() throws Exception {
        Path target = Files.createDirectories(dir.resolve("busy"));
        Files.writeString(target.resolve("mine.txt"), "keep me\n");

        CliRunner.Result result = cli.run("checkout", "--tree", OTHER_TREE, target.toString());

        assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err()).contains("is not empty");
        assertThat(gateway.requests).isEmpty();
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files).containsExactly(target.resolve("mine.txt"));
        }
    }

    @Test
    void anUnknownTreeIsNotFound() {
        CliRunner.Result result = cli.run("checkout", "--tree", OTHER_TREE, dir.resolve("x").toString());

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void checkoutArgumentsAreCheckedBeforeAnyCall() {
        assertThat(cli.run("checkout", "--tree", "sha256:short", dir.resolve("a").toString()).exit())
                .isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("checkout", "--tree", OTHER_TREE, Fixtures.STUDY, dir.resolve("a").toString()).exit())
                .isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("checkout", dir.resolve("a").toString()).exit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("checkout", Fixtures.STUDY, "--champion", "--proposal", "p", dir.resolve("a").toString())
                .exit()).isEqualTo(ExitCode.USAGE);
        assertThat(gateway.requests).isEmpty();
    }

    /** Archives a compromised or buggy gateway might send; each must be refused with nothing written anywhere. */
    @ParameterizedTest
    @ValueSource(strings = {"parent-segment", "absolute-path", "symlink-escapes", "write-through-link",
            "duplicate-entry", "other-tree"})
    void aHostileArchiveIsRefusedWithoutWritingInsideOrOutsideTheTarget(String attack) throws Exception {
        Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
        Path target = sandbox.resolve("checkout");
        String escapeName = "escaped-" + attack;
        byte[] archive = switch (attack) {
            case "parent-segment" -> FakeWorkspaces.tarGz(Entry.file("ok.txt", "fine\n"),
                    Entry.file("../" + escapeName, "pwned\n"));
            case "absolute-path" -> FakeWorkspaces.tarGz(Entry.file(sandbox.resolve(escapeName).toString(),
                    "pwned\n"));
            case "symlink-escapes" -> FakeWorkspaces.tarGz(Entry.link("out", "../../" + escapeName));
            case "write-through-link" -> FakeWorkspaces.tarGz(Entry.link("here", "."),
                    Entry.file("here/" + escapeName, "pwned\n"));
            case "duplicate-entry" -> FakeWorkspaces.tarGz(Entry.file("a.txt", "one\n"), Entry.file("./a.txt",
                    "two\n"));
            case "other-tree" -> FakeWorkspaces.tarGz(Entry.file("innocent.txt", "but not the tree asked for\n"));
            default -> throw new IllegalArgumentException(attack);
        };
        workspaces.serveArchive(OTHER_TREE, archive);

        CliRunner.Result result = cli.run("checkout", "--tree", OTHER_TREE, target.toString());

        assertThat(result.exit()).as(result.err()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(result.err()).contains("nothing was written");
        if (!attack.equals("other-tree")) {
            assertThat(result.err()).contains(attack.equals("write-through-link") ? "path-conflict" : attack);
        }
        assertThat(target).doesNotExist();
        try (Stream<Path> everything = Files.walk(dir)) {
            assertThat(everything.map(path -> path.getFileName().toString())).doesNotContain(escapeName);
        }
    }

    /** Relative path to "file:&lt;mode&gt;:&lt;content&gt;" or "link:&lt;target&gt;", links not followed. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                String name = root.relativize(path).toString();
                if (Files.isSymbolicLink(path)) {
                    files.put(name, "link:" + Files.readSymbolicLink(path));
                } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
                    files.put(name, "file:" + (mode.contains(PosixFilePermission.OWNER_EXECUTE) ? "x" : "-") + ":"
                            + Files.readString(path));
                }
            }
        }
        return files;
    }
}
