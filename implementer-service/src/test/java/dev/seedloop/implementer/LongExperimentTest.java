package dev.seedloop.implementer;

import static dev.seedloop.implementer.StudyFixtures.outcomeOf;
import static dev.seedloop.implementer.StudyFixtures.proposal;
import static dev.seedloop.implementer.StudyFixtures.proposalId;
import static dev.seedloop.implementer.StudyFixtures.study;
import static dev.seedloop.implementer.StudyFixtures.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentLimits;
import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.Topics;
import dev.seedloop.implementer.application.Fixtures;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Experiments longer than the messaging connector's default 60 s limit on an unacknowledged record (issue #10):
 * the long one completes, readiness stays UP past the minute, and proposals sent meanwhile run beside it. The
 * one slow test of the module (about 75 s); everything else about experiments is tested with short ones.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(SandboxReachableDataDir.class)
class LongExperimentTest {

    /** Longer than the connector's 60 s default, short enough for a test. A sleep no other test runs. */
    private static final String LONG_SLEEP = "70.0517";

    @Inject
    EventCodec codec;

    @Test
    void anExperimentOfOverAMinuteCompletesWhileReadinessStaysUpAndLaterProposalsRun() throws Exception {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        List<String> blockedWarnings = new CopyOnWriteArrayList<>();
        Handler blocked = new Handler() {
            @Override
            public void publish(LogRecord record) {
                blockedWarnings.add(String.valueOf(record.getMessage()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger checker = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
        checker.addHandler(blocked);
        // Only proposal x=1 sleeps; the others answer at once.
        var workspace = workspace("""
                if [ "$SEEDLOOP_PARAM_X" = "1.0" ]; then sleep %s; fi
                echo "{\\"loss\\": $SEEDLOOP_PARAM_X}"
                """.formatted(LONG_SLEEP));
        String study = UUID.randomUUID().toString();
        EventEnvelope created = study(study, workspace, new ExperimentSpec(List.of("sh", "run.sh"), Map.of(), 150, 1,
                new ExperimentLimits(150, 512, 64, 65_536), null), null);
        EventEnvelope slow = proposal(created, 0, Map.of("x", 1.0));
        EventEnvelope during = proposal(created, 1, Map.of("x", 2.0));
        EventEnvelope afterAMinute = proposal(created, 2, Map.of("x", 3.0));
        KafkaTopics.produce(Topics.STUDIES, study, codec.encode(created));
        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(slow));
        KafkaTopics.awaitRecords(Topics.EXPERIMENTS, r -> study.equals(r.key())
                && codec.decode(r.value()).payload() instanceof ExperimentStarted, 1, Duration.ofSeconds(60));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !Fixtures.processesWith(LONG_SLEEP).isEmpty());
        long slowStarted = System.nanoTime();

        KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(during));
        Awaitility.await().atMost(Duration.ofSeconds(45))
                .until(() -> outcomeOf(codec, study, proposalId(during)).isPresent());
        assertThat(outcomeOf(codec, study, proposalId(during)).get()).isInstanceOf(ExperimentCompleted.class);
        assertThat(outcomeOf(codec, study, proposalId(slow))).as("the long experiment still runs").isEmpty();

        // Through and past the minute, until the long experiment reports: ready all along, and a proposal
        // sent after the connector's 60 s limit is still consumed.
        boolean sentAfterAMinute = false;
        Optional<EventPayload> slowOutcome = Optional.empty();
        while (slowOutcome.isEmpty()) {
            Duration running = Duration.ofNanos(System.nanoTime() - slowStarted);
            assertThat(running).as("the long experiment reports within its own timeout").isLessThan(Duration.ofSeconds(150));
            RestAssured.given().get("/q/health/ready").then().statusCode(200);
            if (!sentAfterAMinute && running.compareTo(Duration.ofSeconds(64)) > 0) {
                KafkaTopics.produce(Topics.PROPOSALS, study, codec.encode(afterAMinute));
                sentAfterAMinute = true;
            }
            Thread.sleep(1_000);
            slowOutcome = outcomeOf(codec, study, proposalId(slow));
        }

        assertThat(sentAfterAMinute).as("readiness was checked past the minute").isTrue();
        assertThat(slowOutcome.get()).isInstanceOfSatisfying(ExperimentCompleted.class, completed -> {
            assertThat(completed.repeats().getFirst().metrics()).containsEntry("loss", 1.0);
            assertThat(completed.repeats().getFirst().wallMillis()).isGreaterThanOrEqualTo(70_000);
        });
        Awaitility.await().atMost(Duration.ofSeconds(45))
                .until(() -> outcomeOf(codec, study, proposalId(afterAMinute)).isPresent());
        assertThat(outcomeOf(codec, study, proposalId(afterAMinute)).get()).isInstanceOf(ExperimentCompleted.class);
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
        checker.removeHandler(blocked);
        assertThat(blockedWarnings).as("the experiment's worker is not reported as a blocked thread").isEmpty();
    }
}
