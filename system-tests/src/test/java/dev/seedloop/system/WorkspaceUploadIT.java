package dev.seedloop.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.artifacts.ArchiveLimits;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreePacker;
import dev.seedloop.testsupport.Tokens;
import io.restassured.RestAssured;

/**
 * The packaged gateway (fast-jar, production profile) migrates the artifact store from the migrations inside the
 * artifacts jar and serves uploads: in the tests' class path they are a directory, in the package a jar, and Flyway
 * scans the two differently. The system stack's gateway is that package on a database of its own; whichever of it
 * and the implementer migrates first, the other validates the applied scripts against those its jar holds, so a
 * package without them does not start. (Here rather than in the gateway module: a failsafe JVM of its own started a
 * broker, PostgreSQL, Keycloak and the gateway for this one upload.)
 */
class WorkspaceUploadIT {

    private static final ArchiveLimits LIMITS = new ArchiveLimits(64L << 20, 1_000, 16L << 20, 100);

    private static RunningStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = RunningStack.get();
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void thePackagedGatewayStoresAnUploadAndGivesItBack(@TempDir Path dir) throws Exception {
        project(dir);
        Tree local = new TreePacker(LIMITS).tree(dir);
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        new TreePacker(LIMITS).pack(dir, archive);

        given().port(stack.port("gateway")).auth().oauth2(Tokens.of("alice-researcher"))
                .contentType("application/gzip").body(archive.toByteArray())
                .when().post("/api/v1/workspaces")
                .then().statusCode(201).body("tree", equalTo(local.hash()));
        byte[] back = given().port(stack.port("gateway")).auth().oauth2(Tokens.of("alice-viewer"))
                .when().get("/api/v1/workspaces/" + local.hash() + "/archive")
                .then().statusCode(200).extract().asByteArray();
        assertThat(back).isEqualTo(archive.toByteArray());
    }

    /** A small project with a nested file, an executable, a link inside it and a marker unique to this call. */
    private static void project(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("src/pkg"));
        Files.writeString(dir.resolve("README.md"), "marker " + UUID.randomUUID() + "\n");
        Files.writeString(dir.resolve("src/pkg/model.py"), "ALPHA = 0.5\n");
        Path run = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho '{\"loss\": 1}'\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(dir.resolve("model.py"), Path.of("src/pkg/model.py"));
    }
}
