package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.Topics;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * The learner admits new studies, the gateway only asks and obeys: a study is published only once admitted, and a
 * refusal comes back as the same problem as before (429 with Retry-After, or 403). The stand-in learner plays the
 * learner's part with a reservation per admitted study, as the real one does.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class AdmissionTest {

    private static final String SPEC = """
            {"name": "admission %s", "objective": {"metric": "loss", "direction": "minimize"},
             "searchSpace": [{"name": "x", "kind": "float", "low": 0.0, "high": 1.0}],
             "budget": {"maxExperiments": %d}}
            """;

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

    @BeforeEach
    void admitEverything() {
        learner.admissions(admit -> admitted());
        learner.received.clear();
    }

    private static Views.AdmissionView admitted() {
        return new Views.AdmissionView(true, Instant.now().plusSeconds(60), null, null, null, null);
    }

    @Test
    void creationsRacingForTheLastPlaceAreAdmittedOnceAndOnlyTheAdmittedOneIsPublished() throws Exception {
        // The learner's side: one place left for team-b; each admission holds its place.
        Set<String> holding = new HashSet<>();
        learner.admissions(admit -> {
            synchronized (holding) {
                if (holding.contains(admit.studyId()) || holding.isEmpty()) {
                    holding.add(admit.studyId());
                    return admitted();
                }
            }
            return new Views.AdmissionView(false, null, 429, "Concurrent study quota reached",
                    "the team already has 5 active studies (quota 5); halt one or wait until one completes", 60L);
        });

        int racers = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<io.restassured.response.Response>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String name = "race " + i;
                Callable<io.restassured.response.Response> create = () -> {
                    go.await();
                    return given().auth().oauth2(Tokens.reused("bob-researcher")).contentType(ContentType.JSON)
                            .body(SPEC.formatted(name, 5)).when().post("/api/v1/studies");
                };
                answers.add(pool.submit(create));
            }
            go.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            String createdId = null;
            for (Future<io.restassured.response.Response> answer : answers) {
                io.restassured.response.Response response = answer.get();
                statuses.add(response.statusCode());
                if (response.statusCode() == 201) {
                    createdId = response.path("studyId");
                } else {
                    assertThat(response.header("Retry-After")).isEqualTo("60");
                    assertThat(response.contentType()).startsWith("application/problem+json");
                }
            }
            assertThat(statuses).as("exactly one creation is admitted").containsOnlyOnce(201)
                    .containsOnly(201, 429);

            List<Query.AdmitStudy> asked = learner.received(Query.AdmitStudy.class);
            assertThat(asked).hasSize(racers).allSatisfy(admit -> {
                assertThat(admit.team()).isEqualTo("team-b");
                assertThat(admit.requestedExperiments()).isEqualTo(5);
                assertThat(admit.defaultMaxConcurrentStudies()).isEqualTo(5);
                assertThat(admit.defaultMaxExperimentsPerDay()).isEqualTo(2000);
            });
            assertThat(asked).extracting(Query.AdmitStudy::studyId).contains(createdId).doesNotHaveDuplicates();
            String admittedId = createdId;
            KafkaTopics.awaitRecords(Topics.STUDIES, r -> admittedId.equals(r.key()), 1, Duration.ofSeconds(30));
            Set<String> refused = new HashSet<>(asked.stream().map(Query.AdmitStudy::studyId).toList());
            refused.remove(createdId);
            // Each gateway answer came after its publish was acknowledged, so a published refusal would be there.
            assertThat(KafkaTopics.readAll(Topics.STUDIES, r -> refused.contains(r.key()))).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLearnersRefusalsBecomeTheQuotaProblems() {
        learner.admissions(admit -> new Views.AdmissionView(false, null, 403, "Study exceeds the daily experiment quota",
                "the study asks for 101 experiments but the team may run at most 100 per day", null));
        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType(ContentType.JSON).body(SPEC.formatted("big", 101))
                .when().post("/api/v1/studies")
                .then().statusCode(403).contentType("application/problem+json")
                .body("title", equalTo("Study exceeds the daily experiment quota"))
                .body("detail", containsString("at most 100 per day"));

        learner.admissions(admit -> new Views.AdmissionView(false, null, 429, "Daily experiment quota used up",
                "the team has started 100 experiments today (quota 100); the quota resets at 00:00 UTC", 3600L));
        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType(ContentType.JSON).body(SPEC.formatted("day", 5))
                .when().post("/api/v1/studies")
                .then().statusCode(429).header("Retry-After", equalTo("3600"))
                .body("retryAfterSeconds", equalTo(3600)).body("title", equalTo("Daily experiment quota used up"));

        List<String> refused = learner.received(Query.AdmitStudy.class).stream().map(Query.AdmitStudy::studyId).toList();
        assertThat(refused).hasSize(2);
        learner.admissions(admit -> admitted());
        String created = given().auth().oauth2(Tokens.reused("bob-researcher")).contentType(ContentType.JSON)
                .body(SPEC.formatted("fine", 5)).when().post("/api/v1/studies")
                .then().statusCode(201).extract().path("studyId");
        KafkaTopics.awaitRecords(Topics.STUDIES, r -> created.equals(r.key()), 1, Duration.ofSeconds(30));
        assertThat(KafkaTopics.readAll(Topics.STUDIES, r -> refused.contains(r.key()))).isEmpty();
    }

    @Test
    void aForkIsAdmittedUnderItsOwnIdBeforeItIsPublished() {
        String source = java.util.UUID.randomUUID().toString();
        learner.otherwise(query -> query instanceof Query.GetForkOrigin get && get.studyId().equals(source)
                ? new QueryCodec().ok(new StudyOrigin(source, 3, null, null, List.of(), 0))
                : QueryCodec.notFound("no study"));
        learner.admissions(admit -> new Views.AdmissionView(false, null, 429, "Concurrent study quota reached",
                "the team already has 5 active studies (quota 5)", 60L));
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType(ContentType.JSON)
                .body(SPEC.formatted("fork", 7)).when().post("/api/v1/studies/" + source + "/forks")
                .then().statusCode(429).header("Retry-After", equalTo("60"));

        learner.admissions(admit -> admitted());
        String fork = given().auth().oauth2(Tokens.reused("alice-researcher")).contentType(ContentType.JSON)
                .body(SPEC.formatted("fork", 7)).when().post("/api/v1/studies/" + source + "/forks")
                .then().statusCode(201).extract().path("studyId");
        List<Query.AdmitStudy> asked = learner.received(Query.AdmitStudy.class);
        assertThat(asked).hasSize(2).last().satisfies(admit -> {
            assertThat(admit.studyId()).isEqualTo(fork).isNotEqualTo(source);
            assertThat(admit.team()).isEqualTo("team-a");
            assertThat(admit.requestedExperiments()).isEqualTo(7);
        });
        KafkaTopics.awaitRecords(Topics.STUDIES, r -> fork.equals(r.key()), 1, Duration.ofSeconds(30));
        String refusedFork = asked.getFirst().studyId();
        assertThat(KafkaTopics.readAll(Topics.STUDIES, r -> refusedFork.equals(r.key()))).isEmpty();
    }
}
