package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.artifacts.ArchiveImport;
import dev.seedloop.artifacts.InMemoryArtifactStore;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Uploads into the real artifact store (PostgreSQL) with real Keycloak tokens: the gateway computes the tree the CLI
 * computes locally, a second upload changes nothing, another team sees nothing, and hostile archives are refused with
 * their reason and store no tree.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class WorkspaceResourceTest {

    private static final String PROBLEM = "application/problem+json";

    @io.quarkus.test.common.http.TestHTTPResource("/api/v1/workspaces")
    java.net.URL uploads;

    @BeforeAll
    static void logFailures() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aTarGzUploadAnswersTheTreeHashTheCliComputesLocallyAndASecondUploadIsANoOp(@TempDir Path dir)
            throws Exception {
        Tree local = Uploads.localTree(Uploads.project(dir));
        byte[] archive = Uploads.tarGz(dir);

        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/gzip").body(archive)
                .when().post("/api/v1/workspaces")
                .then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/workspaces/" + local.hash()))
                .body("tree", equalTo(local.hash()))
                .body("files", equalTo(4))
                .body("bytes", equalTo((int) local.entries().stream().mapToLong(e -> e.size()).sum()));
        long stored = Uploads.storedTreesAndGrants();

        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/x-gzip").body(archive)
                .when().post("/api/v1/workspaces")
                .then().statusCode(200).body("tree", equalTo(local.hash())).body("files", equalTo(4));
        assertThat(Uploads.storedTreesAndGrants()).as("nothing new stored or granted").isEqualTo(stored);
    }

    @Test
    void aZipOfTheSameDirectoryGivesTheSameTree(@TempDir Path dir) throws Exception {
        Tree local = Uploads.localTree(Uploads.project(dir));
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/zip").body(Uploads.zip(dir))
                .when().post("/api/v1/workspaces")
                .then().statusCode(201).body("tree", equalTo(local.hash()));
    }

    @Test
    void theTeamReadsItsWorkspaceBackAsAFileListFilesAndAnArchiveOfTheSameTree(@TempDir Path dir) throws Exception {
        Tree local = Uploads.localTree(Uploads.project(dir));
        String tree = Uploads.upload("alice-researcher", Uploads.tarGz(dir), "application/gzip");
        String viewer = Tokens.reused("alice-viewer");

        given().auth().oauth2(viewer).when().get("/api/v1/workspaces/" + tree)
                .then().statusCode(200)
                .body("tree", equalTo(tree))
                .body("files.path", equalTo(java.util.List.of("README.md", "model.py", "run.sh", "src/pkg/model.py")))
                .body("files.kind", equalTo(java.util.List.of("file", "symlink", "executable", "file")))
                .body("files.find { it.path == 'src/pkg/model.py' }.size", equalTo(12))
                .body("files.find { it.path == 'run.sh' }.blob",
                        equalTo(local.entries().stream().filter(e -> e.path().value().equals("run.sh")).findFirst()
                                .orElseThrow().blob()));

        byte[] model = given().auth().oauth2(viewer).urlEncodingEnabled(false)
                .when().get("/api/v1/workspaces/" + tree + "/files/src/pkg/model.py")
                .then().statusCode(200).contentType("application/octet-stream").extract().asByteArray();
        assertThat(new String(model, StandardCharsets.UTF_8)).isEqualTo("ALPHA = 0.5\n");
        // Normalised as in the tree: './' and '//' collapse.
        given().auth().oauth2(viewer).urlEncodingEnabled(false)
                .when().get("/api/v1/workspaces/" + tree + "/files/src/.%2Fpkg%2F%2Fmodel.py")
                .then().statusCode(200);

        byte[] archive = given().auth().oauth2(viewer).when().get("/api/v1/workspaces/" + tree + "/archive")
                .then().statusCode(200).contentType("application/gzip").extract().asByteArray();
        Tree again = new ArchiveImport(new InMemoryArtifactStore(), Uploads.LIMITS)
                .importArchive(new ByteArrayInputStream(archive));
        assertThat(again.hash()).as("the downloaded archive is the same tree").isEqualTo(tree);
        assertThat(archive).as("in the CLI's own layout, byte for byte").isEqualTo(Uploads.tarGz(dir));
    }

    @Test
    void aFilePathLeavingTheTreeIsRefusedAndAMissingFileIsNotFound(@TempDir Path dir) throws Exception {
        Uploads.project(dir);
        String tree = Uploads.upload("alice-researcher", Uploads.tarGz(dir), "application/gzip");
        String viewer = Tokens.reused("alice-viewer");
        for (String hostile : new String[] {"..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "src%2F..%2F..%2Fx"}) {
            given().auth().oauth2(viewer).urlEncodingEnabled(false)
                    .when().get("/api/v1/workspaces/" + tree + "/files/" + hostile)
                    .then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400));
        }
        given().auth().oauth2(viewer).when().get("/api/v1/workspaces/" + tree + "/files/nope.txt")
                .then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void anotherTeamsWorkspaceIsAnsweredExactlyLikeAnUnknownOne(@TempDir Path dir) throws Exception {
        Uploads.project(dir);
        String alices = Uploads.upload("alice-researcher", Uploads.tarGz(dir), "application/gzip");
        String unknown = "sha256:" + "0".repeat(64);
        String bob = Tokens.reused("bob-researcher");
        for (String suffix : new String[] {"", "/files/run.sh", "/archive"}) {
            ExtractableResponse<Response> foreign = given().auth().oauth2(bob)
                    .when().get("/api/v1/workspaces/" + alices + suffix)
                    .then().statusCode(404).contentType(PROBLEM).extract();
            ExtractableResponse<Response> missing = given().auth().oauth2(bob)
                    .when().get("/api/v1/workspaces/" + unknown + suffix)
                    .then().statusCode(404).contentType(PROBLEM).extract();
            assertThat(foreign.asString().replace(alices, unknown)).isEqualTo(missing.asString());
        }
        // Bob may upload the very same tree; then it is his as well, and Alice's upload is not disturbed.
        given().auth().oauth2(bob).contentType("application/gzip").body(Uploads.tarGz(dir))
                .when().post("/api/v1/workspaces").then().statusCode(201).body("tree", equalTo(alices));
        given().auth().oauth2(bob).when().get("/api/v1/workspaces/" + alices).then().statusCode(200);
    }

    @Test
    void hostileArchivesAreRefusedWithTheirReasonAndStoreNoTree() throws Exception {
        Map<String, byte[]> hostile = new java.util.LinkedHashMap<>();
        hostile.put("parent-segment", Uploads.tarGz(tar -> {
            Uploads.file(tar, "ok.txt", "fine");
            Uploads.file(tar, "../escape.txt", "owned");
        }));
        hostile.put("absolute-path", Uploads.tarGz(tar -> Uploads.file(tar, "/etc/cron.d/evil", "* * * * *")));
        hostile.put("symlink-escapes", Uploads.tarGz(tar -> Uploads.special(tar, "etc", Uploads.SYMLINK, "/etc")));
        hostile.put("fifo", Uploads.tarGz(tar -> Uploads.special(tar, "tests/pipe", Uploads.FIFO, null)));
        long before = Uploads.storedTreesAndGrants();
        hostile.forEach((reason, archive) -> given().auth().oauth2(Tokens.reused("alice-researcher"))
                .contentType("application/gzip").body(archive)
                .when().post("/api/v1/workspaces")
                .then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400))
                .body("reason", equalTo(reason))
                .body("type", equalTo("https://seedloop.dev/problems/workspace-refused")));

        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/zip").body(Uploads.zipBomb(64))
                .when().post("/api/v1/workspaces")
                .then().statusCode(400).contentType(PROBLEM).body("reason", equalTo("compression-ratio"))
                .body("errors.path", hasItems("zeros.bin"));
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/gzip")
                .body("not an archive".getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/workspaces")
                .then().statusCode(400).contentType(PROBLEM).body("reason", equalTo("malformed-archive"));
        assertThat(Uploads.storedTreesAndGrants()).as("no tree stored, none granted").isEqualTo(before);
    }

    /**
     * The upload is read as a stream: the request announces 100 MiB but sends only a hostile first entry and 64 KiB
     * after it, then waits. Only a gateway that reads the body as it comes can answer now; one that buffered the
     * whole body first would still be waiting for the rest when the socket's read timeout ends the test.
     */
    @Test
    void anUploadIsReadAsItArrivesNotBufferedWhole() throws Exception {
        byte[] prefix;
        java.io.ByteArrayOutputStream compressed = new java.io.ByteArrayOutputStream();
        java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(compressed, true);
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(gzip);
        var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("../outside.bin", true);
        byte[] noise = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(noise);
        entry.setSize(noise.length);
        tar.putArchiveEntry(entry);
        tar.write(noise);
        tar.flush();
        gzip.flush();
        prefix = compressed.toByteArray();

        try (java.net.Socket socket = new java.net.Socket(uploads.getHost(), uploads.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + uploads.getPath() + " HTTP/1.1\r\nHost: " + uploads.getHost() + "\r\n"
                    + "Authorization: Bearer " + Tokens.reused("alice-researcher") + "\r\n"
                    + "Content-Type: application/gzip\r\nContent-Length: " + (100L << 20) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(prefix);
            socket.getOutputStream().flush();
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 400 Bad Request");
        }
    }

    /** A body announced over the HTTP layer's limit is answered as a problem before any of it is read. */
    @Test
    void aBodyAnnouncedOverTheHttpLimitIsAProblem413() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(uploads.getHost(), uploads.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + uploads.getPath() + " HTTP/1.1\r\nHost: " + uploads.getHost() + "\r\n"
                    + "Authorization: Bearer " + Tokens.reused("alice-researcher") + "\r\n"
                    + "Content-Type: application/gzip\r\nContent-Length: " + (300L << 20) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 413 ").containsIgnoringCase("content-type: " + PROBLEM)
                    .contains("\"status\":413").contains("max-body-size");
        }
    }

    @Test
    void otherMediaTypesAre415AndViewersMayNotUpload(@TempDir Path dir) throws Exception {
        Uploads.project(dir);
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/x-tar").body(new byte[] {1})
                .when().post("/api/v1/workspaces")
                .then().statusCode(415).contentType(PROBLEM).body("status", equalTo(415));
        given().auth().oauth2(Tokens.reused("alice-viewer")).contentType("application/gzip").body(Uploads.tarGz(dir))
                .when().post("/api/v1/workspaces")
                .then().statusCode(403).contentType(PROBLEM);
        given().contentType("application/gzip").body(Uploads.tarGz(dir))
                .when().post("/api/v1/workspaces")
                .then().statusCode(401).contentType(PROBLEM);
    }
}
