package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.queries.Query;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Ready means the gateway can answer reads: a ping has made the whole round trip to the learner and back (its
 * request topic, the learner, the reply topic and the gateway's reply consumer) within the last few seconds.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ReadinessTest {

    static StandInLearner learner;

    @BeforeAll
    static void start() {
        learner = new StandInLearner();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    /**
     * Awaitility fails on any uncaught exception of any thread by default; Quarkus' worker threads log one on JDK 25
     * (jboss-threads' thread-local reset wants --add-opens) that has nothing to do with readiness.
     */
    private static org.awaitility.core.ConditionFactory settle() {
        return await().dontCatchUncaughtExceptions().pollInterval(Duration.ofMillis(250));
    }

    @Test
    void readyOnlyWhileTheLearnerAnswersPings() {
        learner.answerPings(false);
        settle().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health/ready")
                .then().statusCode(503));
        // The 503 came from pings the stand-in saw and left unanswered, not from a check that never asked.
        settle().atMost(Duration.ofSeconds(30)).until(() -> !learner.received(Query.Ping.class).isEmpty());

        learner.answerPings(true);
        settle().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health/ready")
                .then().statusCode(200));

        learner.answerPings(false);
        settle().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health/ready")
                .then().statusCode(503));
    }
}
