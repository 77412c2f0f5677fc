package dev.seedloop.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.seedloop.artifacts.ArchiveLimits;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreePacker;
import dev.seedloop.testsupport.Tokens;

/** Workspaces go to a study the way users bring them: packed, uploaded through the gateway, named by tree hash. */
final class Uploads {

    private static final ArchiveLimits TEST_LIMITS = new ArchiveLimits(64L << 20, 1_000, 16L << 20, 100);

    private Uploads() {
    }

    /**
     * A fresh workspace holding {@code runScript} as {@code run.sh}, readable by the sandbox's user (temp
     * directories are 0700 by default).
     */
    static Path scriptWorkspace(String prefix, String runScript) throws IOException {
        Path workspace = Files.createTempDirectory(prefix, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(workspace.resolve("run.sh"), runScript);
        return workspace;
    }

    /** Uploads {@code directory} as {@code user} and answers the tree hash the gateway stored (and the team owns). */
    static String workspace(RunningStack stack, String user, Path directory) throws IOException {
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        Tree packed = new TreePacker(TEST_LIMITS).pack(directory, archive);
        String stored = given().port(stack.port("gateway")).auth().oauth2(Tokens.of(user))
                .contentType("application/gzip").body(archive.toByteArray())
                .when().post("/api/v1/workspaces")
                .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201)).extract().path("tree");
        assertThat(stored).as("the gateway hashes the tree as the packer did").isEqualTo(packed.hash());
        return stored;
    }
}
