package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.artifacts.Tree;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

/**
 * The packaged gateway (fast-jar, production profile) migrates the artifact store from the migrations inside the
 * artifacts jar and serves uploads: in the tests' class path they are a directory, in the package a jar, and Flyway
 * scans the two differently.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class WorkspaceUploadIT {

    @Test
    void thePackagedGatewayStoresAnUploadAndGivesItBack(@TempDir Path dir) throws Exception {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        Tree local = Uploads.localTree(Uploads.project(dir));
        byte[] archive = Uploads.tarGz(dir);
        given().auth().oauth2(Tokens.of("alice-researcher")).contentType("application/gzip").body(archive)
                .when().post("/api/v1/workspaces")
                .then().statusCode(201).body("tree", equalTo(local.hash()));
        byte[] back = given().auth().oauth2(Tokens.of("alice-viewer"))
                .when().get("/api/v1/workspaces/" + local.hash() + "/archive")
                .then().statusCode(200).extract().asByteArray();
        assertThat(back).isEqualTo(archive);
    }
}
