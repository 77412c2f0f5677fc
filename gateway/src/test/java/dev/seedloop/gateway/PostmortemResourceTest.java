package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.gateway.api.postmortem.PostmortemSamples;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
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
    /** The team each postmortem query asked for, by study. */
    static final Map<String, String> asked = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
        learner.otherwise(query -> {
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
        given().auth().oauth2(Tokens.of("alice-viewer")).when().get(PATH)
                .then().statusCode(200).contentType("application/json")
                .header("Vary", "Accept")
                .body("studyId", equalTo(PostmortemSamples.STUDY))
                .body("lineage[0].evidence.ciHigh", equalTo(0.084f))
                .body("failures.groups[0].fingerprint", equalTo("3fa2c1d9e0b1"));
        assertThat(asked).containsEntry(PostmortemSamples.STUDY, "team-a");
    }

    @Test
    void markdownWhenAskedFor() {
        String md = given().auth().oauth2(Tokens.of("alice-researcher")).accept("text/markdown").when().get(PATH)
                .then().statusCode(200).contentType(startsWith("text/markdown"))
                .header("X-Content-Type-Options", "nosniff")
                .extract().asString();

        assertThat(md).startsWith("# Postmortem: lr-sweep\n").contains("## Possible reward hacking");
    }

    @Test
    void aBrowserGetsAnInertPage() {
        String html = given().auth().oauth2(Tokens.of("alice-viewer"))
                .accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").when().get(PATH)
                .then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"))
                .extract().asString();

        assertThat(html).startsWith("<!DOCTYPE html>").doesNotContain("<script");
    }

    @Test
    void anotherTeamsStudyIsNotFoundInEveryFormat() {
        for (String accept : List.of("application/json", "text/markdown", "text/html")) {
            given().auth().oauth2(Tokens.of("bob-viewer")).accept(accept).when().get(PATH)
                    .then().statusCode(404).contentType("application/problem+json")
                    .body("detail", equalTo("no study " + PostmortemSamples.STUDY));
        }
        assertThat(asked).containsEntry(PostmortemSamples.STUDY, "team-b");
    }

    @Test
    void anUnservableAcceptIs406AndNoTokenIs401() {
        given().auth().oauth2(Tokens.of("alice-viewer")).accept("application/xml").when().get(PATH)
                .then().statusCode(406);
        given().when().get(PATH).then().statusCode(401).contentType("application/problem+json");
    }
}
