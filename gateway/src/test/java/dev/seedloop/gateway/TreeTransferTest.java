package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.ExportArtifacts;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyExport;
import dev.seedloop.events.Topics;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Export carries the trees a study's events name, and import checks them by hash into the real artifact store and
 * grants them to the importing team; a tampered blob, or a tree neither carried nor owned, refuses the import whole.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class TreeTransferTest {

    private static final String PROBLEM = "application/problem+json";

    static StandInLearner learner;
    static volatile CodeStudy study;

    @Inject
    ArtifactStore store;

    @Inject
    EventCodec codec;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
        learner.otherwise(TreeTransferTest::answer);
    }

    private static QueryReply answer(Query query) {
        if (query instanceof Query.StudyExists exists) {
            // Another installation: the study is not held here (team-a's copy lives elsewhere).
            return new QueryCodec().ok(new Views.ExistsView(false));
        }
        QueryReply reply = study == null ? null : study.answer(query);
        return reply != null ? reply : QueryCodec.notFound("no study");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    @Test
    void anExportCarriesItsTreesAndAnImportChecksAndGrantsThemToTheImportingTeam() {
        // Unique content, so no earlier test left these trees owned by team-b.
        String salt = UUID.randomUUID().toString();
        Tree workspace = CodeStudy.tree(store, CodeStudy.files("train.py", "seed = '" + salt + "'\nlr = 0.1\n",
                "data/x.csv", "a,b\n1,2\n"), CodeStudy.TEAM);
        Tree child = CodeStudy.tree(store, CodeStudy.files("train.py", "seed = '" + salt + "'\nlr = 0.2\n",
                "data/x.csv", "a,b\n1,2\n"), CodeStudy.TEAM);
        CodeStudy s = new CodeStudy(store, workspace);
        s.proposal(workspace, child);
        study = s;
        assertThat(store.owns("team-b", workspace.hash())).isFalse();

        String file = given().auth().oauth2(Tokens.reused("alice-viewer")).accept("application/x-ndjson")
                .when().get("/api/v1/studies/" + s.id + "/export")
                .then().statusCode(200).extract().asString();

        List<String> lines = file.lines().toList();
        int trailer = lines.size() - 1;
        while (!lines.get(trailer).startsWith("{\"end\":true")) {
            trailer--;
        }
        StudyExport.Contents events = StudyExport.read(lines.subList(0, trailer + 1), codec);
        assertThat(events.events()).isEqualTo(s.events);
        assertThat(lines.get(trailer + 1)).isEqualTo("{\"seedloopArtifacts\":1,\"trees\":2}");
        assertThat(lines.getLast()).isEqualTo("{\"artifactsEnd\":true,\"trees\":2,\"blobs\":3}");

        // The events alone (what an export from before trees looks like) name trees team-b neither gets nor owns.
        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson")
                .body(String.join("\n", lines.subList(0, trailer + 1)).getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/imports")
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].path", equalTo("line 2"))
                .body("errors[0].message", containsString(workspace.hash()));

        // A blob altered after export: refused with its line, and the forged content is not stored.
        List<String> tampered = new ArrayList<>(lines);
        int data = -1;
        for (int i = trailer + 1; i < tampered.size(); i++) {
            if (tampered.get(i).startsWith("{\"data\":") && tampered.get(i - 1).startsWith("{\"blob\":")
                    && new String(Base64.getDecoder().decode(tampered.get(i).substring(9, tampered.get(i).length()
                    - 2)), StandardCharsets.UTF_8).contains("lr = 0.1")) {
                data = i;
            }
        }
        // Same size, other bytes: only the hash can tell.
        byte[] forged = ("seed = '" + salt + "'\nlr = 9.9\n").getBytes(StandardCharsets.UTF_8);
        tampered.set(data, "{\"data\":\"" + Base64.getEncoder().encodeToString(forged) + "\"}");
        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson")
                .body(String.join("\n", tampered).getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/imports")
                .then().statusCode(400).contentType(PROBLEM)
                .body("reason", equalTo("hash-mismatch"))
                .body("errors[0].path", equalTo("line " + data)); // the blob's own line, just before its data
        assertThat(store.hasBlob(ContentHash.sha256(forged))).as("nothing of the forged blob is stored").isFalse();
        assertThat(store.owns("team-b", workspace.hash())).isFalse();

        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson")
                .body(file.getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/imports")
                .then().statusCode(202).body("studyId", equalTo(s.id)).body("team", equalTo("team-b"))
                .body("events", equalTo(4)).body("trees", equalTo(2));

        assertThat(store.owns("team-b", workspace.hash())).isTrue();
        assertThat(store.owns("team-b", child.hash())).isTrue();
        var slices = KafkaTopics.awaitRecords(Topics.IMPORTS, r -> s.id.equals(r.key()), 1, Duration.ofSeconds(30));
        List<EventEnvelope> published = new String(slices.getFirst().value(), StandardCharsets.UTF_8).lines()
                .map(codec::decode).toList();
        assertThat(published).extracting(EventEnvelope::eventId)
                .containsExactlyElementsOf(s.events.stream().map(EventEnvelope::eventId).toList());
        assertThat(KafkaTopics.readAll(Topics.IMPORTS, r -> s.id.equals(r.key())))
                .as("the refused imports published nothing").hasSize(1);
        assertThat(Set.copyOf(ExportArtifacts.treesOf(published.getFirst().payload())))
                .containsExactly(workspace.hash());
    }
}
