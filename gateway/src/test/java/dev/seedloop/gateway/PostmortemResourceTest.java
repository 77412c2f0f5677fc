package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.InMemoryArtifactStore;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.events.FilePatch;
import dev.seedloop.gateway.api.postmortem.PostmortemSamples;
import dev.seedloop.queries.Query;
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
 * {@code GET /api/v1/studies/{id}/postmortem} with real tokens: the representation follows {@code Accept}, the
 * query carries the token's team, and the learner's not-found is a 404 problem whatever was accepted.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class PostmortemResourceTest {

    private static final String PATH = "/api/v1/studies/" + PostmortemSamples.STUDY + "/postmortem";
    private static final QueryCodec CODEC = new QueryCodec();

    static StandInLearner learner;

    /** An llm study: a model call wrote its one proposal; the postmortem folds its events into a code lineage. */
    static final CodeStudy LLM_STUDY;
    static final UUID LLM_PROPOSAL;
    static final UUID LLM_CALL;

    static {
        InMemoryArtifactStore store = new InMemoryArtifactStore();
        Tree workspace = CodeStudy.tree(store, CodeStudy.files("heuristic.py", "x = 1\n"), CodeStudy.TEAM);
        LLM_STUDY = new CodeStudy(store, workspace);
        LLM_PROPOSAL = UUID.randomUUID();
        LLM_CALL = LLM_STUDY.modelCall(LLM_PROPOSAL, "Improve it.\n", "x = 2\n", 1_802, 412, 0.000934);
        LLM_STUDY.proposal(LLM_PROPOSAL, workspace, List.of(FilePatch.diff("heuristic.py",
                "--- a/heuristic.py\n+++ b/heuristic.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n")));
    }
    /** The team each postmortem query asked for, by study. */
    static final Map<String, String> asked = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
        learner.otherwise(query -> {
            QueryReply llm = LLM_STUDY.answer(query);
            if (llm != null) {
                return llm;
            }
            if (query instanceof Query.GetPostmortem get && get.studyId().equals(LLM_STUDY.id)) {
                return get.team().equals(CodeStudy.TEAM)
                        ? CODEC.ok(PostmortemSamples.llmView(LLM_STUDY.id, LLM_STUDY.events.size()))
                        : QueryCodec.notFound("no study " + get.studyId());
            }
            if (query instanceof Query.GetPostmortem get) {
                asked.put(get.studyId(), get.team());
                return get.team().equals("team-a") && get.studyId().equals(PostmortemSamples.STUDY)
                        ? CODEC.ok(PostmortemSamples.view()) : QueryCodec.notFound("no study " + get.studyId());
            }
            return QueryCodec.notFound("no such study");
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    @Test
    void jsonByDefault() {
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(PATH)
                .then().statusCode(200).contentType("application/json")
                .header("Vary", "Accept")
                .body("studyId", equalTo(PostmortemSamples.STUDY))
                .body("lineage[0].evidence.ciHigh", equalTo(0.084f))
                .body("failures.groups[0].fingerprint", equalTo("3fa2c1d9e0b1"));
        assertThat(asked).containsEntry(PostmortemSamples.STUDY, "team-a");
    }

    @Test
    void markdownWhenAskedFor() {
        String md = given().auth().oauth2(Tokens.reused("alice-researcher")).accept("text/markdown").when().get(PATH)
                .then().statusCode(200).contentType(startsWith("text/markdown"))
                .header("X-Content-Type-Options", "nosniff")
                .extract().asString();

        assertThat(md).startsWith("# Postmortem: lr-sweep\n").contains("## Possible reward hacking");
    }

    @Test
    void aBrowserGetsAnInertPage() {
        String html = given().auth().oauth2(Tokens.reused("alice-viewer"))
                .accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").when().get(PATH)
                .then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .extract().asString();

        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script");
    }

    @Test
    void anotherTeamsStudyIsNotFoundInEveryFormat() {
        for (String accept : List.of("application/json", "text/markdown", "text/html")) {
            given().auth().oauth2(Tokens.reused("bob-viewer")).accept(accept).when().get(PATH)
                    .then().statusCode(404).contentType("application/problem+json")
                    .body("detail", equalTo("no study " + PostmortemSamples.STUDY));
        }
        assertThat(asked).containsEntry(PostmortemSamples.STUDY, "team-b");
    }

    @Test
    void anLlmStudysPostmortemCarriesItsCodeLineageInJsonAndMarkdown() {
        String path = "/api/v1/studies/" + LLM_STUDY.id + "/postmortem";
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(path)
                .then().statusCode(200).contentType("application/json")
                .body("studyId", equalTo(LLM_STUDY.id))
                .body("study.strategy", equalTo("llm"))
                .body("codeLineage.calls", equalTo(1))
                .body("codeLineage.tokensIn", equalTo(1802))
                .body("codeLineage.proposals[0].proposalId", equalTo(LLM_PROPOSAL.toString()))
                .body("codeLineage.proposals[0].calls[0].callId", equalTo(LLM_CALL.toString()))
                .body("codeLineage.proposals[0].calls[0].model", equalTo("small"))
                .body("codeLineage.proposals[0].diff", containsString("+x = 2"));

        String md = given().auth().oauth2(Tokens.reused("alice-viewer")).accept("text/markdown").when().get(path)
                .then().statusCode(200).extract().asString();
        assertThat(md).contains("## Code lineage", "+x = 2", "1 model calls (0 failed, 0 replayed)");

        given().auth().oauth2(Tokens.reused("bob-viewer")).when().get(path)
                .then().statusCode(404).contentType("application/problem+json");
        // A study of another strategy has no code lineage, and its events are not read for one.
        given().auth().oauth2(Tokens.reused("alice-viewer")).when().get(PATH)
                .then().statusCode(200).body("$", not(hasKey("codeLineage")));
    }

    @Test
    void anUnservableAcceptIs406AndNoTokenIs401() {
        given().auth().oauth2(Tokens.reused("alice-viewer")).accept("application/xml").when().get(PATH)
                .then().statusCode(406);
        given().when().get(PATH).then().statusCode(401).contentType("application/problem+json");
    }
}
