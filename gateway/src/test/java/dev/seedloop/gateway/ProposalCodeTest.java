package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * A proposal's code read back through the gateway, against the real artifact store (PostgreSQL), broker and Keycloak:
 * its trees, one file, the diff against its parent and against the champion; another team's study and a tree the
 * team was never granted are 404 through every door; an oversized diff is refused, not cut.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ProposalCodeTest {

    private static final String PROBLEM = "application/problem+json";

    static StandInLearner learner;
    static volatile CodeStudy study;

    @Inject
    ArtifactStore store;

    static Tree parent;
    static Tree child;
    static UUID built;
    static UUID championProposal;
    static UUID unbuilt;
    static UUID ungranted;
    static UUID huge;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
        learner.otherwise(query -> {
            QueryReply reply = study == null ? null : study.answer(query);
            return reply != null ? reply : QueryCodec.notFound("no study");
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    private synchronized void givenAStudyWithCode() {
        if (study != null) {
            return;
        }
        parent = CodeStudy.tree(store, CodeStudy.files("model.py", "x = 1\ny = 2\n", "README.md", "hello\n"),
                CodeStudy.TEAM);
        child = CodeStudy.tree(store, CodeStudy.files("model.py", "x = 1\ny = 3\n", "README.md", "hello\n",
                "src/new.py", "print('new')\n"), CodeStudy.TEAM);
        Tree championTree = CodeStudy.tree(store, CodeStudy.files("model.py", "x = 7\ny = 2\n", "README.md",
                "hello\n"), CodeStudy.TEAM);
        // Stored, but granted only to another team: the study's own events cannot make it readable.
        Tree othersTree = CodeStudy.tree(store, CodeStudy.files("secret.txt", "team-b's\n"), "team-b");
        // Five new text files of 1 MiB: a diff of over 5 MiB, above the default limit of 4 MiB.
        String mebibyte = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\n".repeat(16 * 1024);
        Tree hugeTree = CodeStudy.tree(store, CodeStudy.files("model.py", "x = 1\ny = 2\n", "README.md", "hello\n",
                "big/1.txt", mebibyte, "big/2.txt", mebibyte + "2", "big/3.txt", mebibyte + "3", "big/4.txt",
                mebibyte + "4", "big/5.txt", mebibyte + "5"), CodeStudy.TEAM);
        CodeStudy s = new CodeStudy(store, parent);
        built = s.proposal(parent, child);
        championProposal = s.proposal(parent, championTree);
        unbuilt = s.proposal(parent, null);
        ungranted = s.proposal(parent, othersTree);
        huge = s.proposal(parent, hugeTree);
        s.champion(championProposal);
        study = s;
    }

    private String path(UUID proposal) {
        return "/api/v1/studies/" + study.id + "/proposals/" + proposal;
    }

    @Test
    void theTreeEndpointNamesParentAndChildAndListsTheChildsFiles() {
        givenAStudyWithCode();
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(built) + "/tree")
                .then().statusCode(200)
                .body("proposalId", equalTo(built.toString()))
                .body("parentTree", equalTo(parent.hash()))
                .body("tree", equalTo(child.hash()))
                .body("files", hasSize(3))
                .body("files[0].path", equalTo("README.md"))
                .body("files[1].path", equalTo("model.py"))
                .body("files[1].mode", equalTo("100644"))
                .body("files[1].size", equalTo(12))
                .body("files[1].sha256", equalTo(child.entries().get(1).blob()))
                .body("files[2].path", equalTo("src/new.py"));

        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(unbuilt) + "/tree")
                .then().statusCode(200).body("parentTree", equalTo(parent.hash())).body("tree", nullValue())
                .body("files", hasSize(0));
    }

    @Test
    void aFileOfTheChildTreeIsStreamedAndAMissingOneIsAProblem() {
        givenAStudyWithCode();
        byte[] model = given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(built) + "/files/model.py")
                .then().statusCode(200).extract().asByteArray();
        assertThat(new String(model, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("x = 1\ny = 3\n");
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(built) + "/files/./src//new.py")
                .then().statusCode(200).body(equalTo("print('new')\n"));

        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(built) + "/files/nope.py")
                .then().statusCode(404).contentType(PROBLEM).body("detail", containsString("nope.py"));
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(unbuilt) + "/files/model.py")
                .then().statusCode(404).contentType(PROBLEM).body("detail", containsString("not built"));
        for (String hostile : new String[] {"..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "src%2F..%2F..%2Fx"}) {
            given().auth().oauth2(Tokens.reused("alice-viewer")).urlEncodingEnabled(false)
                    .when().get(path(built) + "/files/" + hostile)
                    .then().statusCode(400).contentType(PROBLEM);
        }
    }

    @Test
    void theDiffAgainstTheParentAndAgainstTheChampionAreUnifiedDiffs() {
        givenAStudyWithCode();
        String parentDiff = given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(built) + "/diff")
                .then().statusCode(200).contentType(containsString("text/plain"))
                .header("Seedloop-Diff-From", parent.hash()).header("Seedloop-Diff-To", child.hash())
                .extract().asString();
        assertThat(parentDiff).contains("diff --git a/model.py b/model.py", "-y = 2", "+y = 3",
                "diff --git a/src/new.py b/src/new.py", "new file mode 100644", "+print('new')")
                .doesNotContain("README.md");

        String championDiff = given().auth().oauth2(Tokens.reused("alice-viewer")).queryParam("against", "champion")
                .when().get(path(built) + "/diff")
                .then().statusCode(200).header("Seedloop-Diff-From", org.hamcrest.Matchers.not(parent.hash()))
                .extract().asString();
        assertThat(championDiff).contains("-x = 7", "+x = 1", "-y = 2", "+y = 3", "+print('new')");

        given().auth().oauth2(Tokens.reused("alice-viewer")).queryParam("against", "grandparent")
                .when().get(path(built) + "/diff").then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(unbuilt) + "/diff")
                .then().statusCode(409).contentType(PROBLEM).body("detail", containsString("not built"));
    }

    @Test
    void aDiffOverTheConfiguredLimitIsRefusedWithAProblemNotCut() {
        givenAStudyWithCode();
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(huge) + "/diff")
                .then().statusCode(422).contentType(PROBLEM)
                .body("reason", equalTo("diff-too-large"))
                .body("detail", containsString("4194304 bytes"))
                .body("detail", containsString("seedloop checkout"));
    }

    @Test
    void anotherTeamGets404ThroughEveryDoorAndAnUngrantedTreeIs404Too() {
        givenAStudyWithCode();
        for (String door : new String[] {"/tree", "/files/model.py", "/diff", "/diff?against=champion"}) {
            given().auth().oauth2(Tokens.reused("bob-admin")).when().get(path(built) + door)
                    .then().statusCode(404).contentType(PROBLEM);
        }
        for (String door : new String[] {"/tree", "/files/secret.txt", "/diff"}) {
            given().auth().oauth2(Tokens.reused("alice-admin")).when().get(path(ungranted) + door)
                    .then().statusCode(404).contentType(PROBLEM);
        }
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(UUID.randomUUID()) + "/tree")
                .then().statusCode(404).contentType(PROBLEM);
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path(built).replace(built.toString(), "x") + "/tree")
                .then().statusCode(404).contentType(PROBLEM);
    }
}
