package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * The operator's escape hatch for server paths ({@code seedloop.gateway.workspaces.legacy-path-roots}): only a
 * directory whose real path lies under a listed root is accepted; {@code ..} and symbolic links cannot lead out.
 * Also the upload limits as an operator sets them: over one, 413.
 */
@QuarkusTest
@TestProfile(LegacyWorkspacePathTest.OneLegacyRootAndSmallLimits.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LegacyWorkspacePathTest {

    /** A root holding one workspace, and a link in it that points at /etc. */
    public static class OneLegacyRootAndSmallLimits implements QuarkusTestProfile {

        static final Path ROOT;

        static {
            try {
                ROOT = Files.createTempDirectory("seedloop-legacy-root-").toRealPath();
                Files.createDirectories(ROOT.resolve("examples/functions/workspace"));
                Files.writeString(ROOT.resolve("examples/functions/workspace/run.sh"), "echo '{\"loss\": 1}'\n");
                Files.createSymbolicLink(ROOT.resolve("examples/etc"), Path.of("/etc"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("seedloop.gateway.workspaces.legacy-path-roots", ROOT.resolve("examples").toString(),
                    "seedloop.gateway.workspaces.max-file-bytes", "4K",
                    "seedloop.gateway.workspaces.max-files", "10");
        }
    }

    @Inject
    EventCodec codec;

    static StandInLearner learner;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    private static byte[] spec(String workspace) {
        return WorkspaceSpecTest.SPEC.formatted("legacy", workspace, "", "").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void aDirectoryUnderALegacyRootIsStillAcceptedAsAServerPath() throws Exception {
        Path workspace = OneLegacyRootAndSmallLimits.ROOT.resolve("examples/functions/workspace");
        String studyId = given().auth().oauth2(Tokens.of("alice-researcher")).contentType("application/yaml")
                .body(spec(workspace.toString()))
                .when().post("/api/v1/studies")
                .then().statusCode(201).extract().path("studyId");
        var records = KafkaTopics.awaitRecords(Topics.STUDIES, r -> studyId.equals(r.key()), 1, Duration.ofSeconds(30));
        StudyCreated created = (StudyCreated) codec.decode(records.getFirst().value()).payload();
        assertThat(created.workspace().isLegacyLocation()).isTrue();
        assertThat(created.workspace().location()).isEqualTo(workspace.toString());
        assertThat(created.workspace().sha256()).isEqualTo(ContentHash.ofDirectory(workspace));
    }

    @Test
    void pathsThatOnlyLookAsIfTheyWereUnderTheRootAreRefused() {
        Path examples = OneLegacyRootAndSmallLimits.ROOT.resolve("examples");
        for (String path : new String[] {"/etc", examples + "/functions/../../../../etc", examples + "/etc",
                examples + "/etc/ssl", examples + "/../examples-elsewhere", "/opt/x/../../etc"}) {
            given().auth().oauth2(Tokens.of("alice-researcher")).contentType("application/yaml")
                    .body(spec(path))
                    .when().post("/api/v1/studies")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.path", containsInAnyOrder("workspace"))
                    .body("errors[0].message", containsString("no longer accepted"));
        }
    }

    @Test
    void anUploadOverTheOperatorsLimitsIs413() {
        byte[] big = Uploads.tarGz(tar -> Uploads.file(tar, "big.txt", "x".repeat(5000)));
        given().auth().oauth2(Tokens.of("alice-researcher")).contentType("application/gzip").body(big)
                .when().post("/api/v1/workspaces")
                .then().statusCode(413).contentType("application/problem+json")
                .body("reason", equalTo("limit-exceeded")).body("errors[0].path", equalTo("big.txt"));
        byte[] many = Uploads.tarGz(tar -> {
            for (int i = 0; i < 11; i++) {
                Uploads.file(tar, "f" + i, "x");
            }
        });
        given().auth().oauth2(Tokens.of("alice-researcher")).contentType("application/gzip").body(many)
                .when().post("/api/v1/workspaces")
                .then().statusCode(413).contentType("application/problem+json").body("reason", equalTo("limit-exceeded"));
    }
}
