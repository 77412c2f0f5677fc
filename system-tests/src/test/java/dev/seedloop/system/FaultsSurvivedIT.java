package dev.seedloop.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.checker.CheckReport;
import dev.seedloop.checker.LearnerEndpoints;
import dev.seedloop.checker.StoreChecker;
import dev.seedloop.checker.StoreVerification;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.Topics;
import dev.seedloop.infra.PostgresServer;
import dev.seedloop.testsupport.SharedInfrastructure;
import dev.seedloop.testsupport.Tokens;
import io.restassured.RestAssured;

/**
 * The reduced form of {@code ./seedloop chaos} (issue #15) for CI: while a study with parallel experiments runs,
 * {@code kill -9} of the implementer with an experiment in flight, then of the learner, each started again; the study
 * must still complete on its budget and the store checker must find every invariant held. The broker and PostgreSQL
 * are the whole suite's, so they are not killed here: the chaos command does that on a stack of its own.
 */
class FaultsSurvivedIT {

    private static final int EXPERIMENTS = 4;
    private static RunningStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = RunningStack.get();
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aStudySurvivesKill9OfTheImplementerAndTheLearnerAndTheStoreHoldsEveryInvariant() throws Exception {
        // Two seconds a run: the kill lands while experiments are in flight.
        Path workspace = Uploads.scriptWorkspace("seedloop-faults-", """
                sleep 2
                awk -v x="$SEEDLOOP_PARAM_X" 'BEGIN { printf "{\\"loss\\": %.6f}\\n", (x-1.5)^2 }'
                """);
        String tree = Uploads.workspace(stack, "alice-researcher", workspace);
        String spec = """
                {"name": "faults", "objective": {"metric": "loss", "direction": "minimize"},
                 "workspace": "%s",
                 "searchSpace": [{"name": "x", "kind": "float", "low": 0, "high": 3}],
                 "experiment": {"command": ["sh", "run.sh"], "repeats": 1, "timeoutSeconds": 60,
                                "limits": {"memoryMiB": 256, "maxProcesses": 32}},
                 "budget": {"maxExperiments": %d, "parallelism": 2, "maxWallSeconds": 600},
                 "strategy": "default", "seed": 15}
                """.formatted(tree, EXPERIMENTS);
        String studyId = given().port(stack.port("gateway")).contentType("application/json")
                .auth().oauth2(Tokens.of("alice-researcher")).body(spec)
                .when().post("/api/v1/studies")
                .then().statusCode(201).extract().path("studyId");

        // An experiment started and not finished: the implementer dies with it in hand.
        awaitStored(studyId, "count(*) filter (where event_type = '" + EventTypes.EXPERIMENT_STARTED + "') > "
                + "count(*) filter (where event_type in ('" + EventTypes.EXPERIMENT_COMPLETED + "', '"
                + EventTypes.EXPERIMENT_FAILED + "'))", Duration.ofSeconds(60));
        stack.killAndRestart("implementer-service");
        // The loop moved on after the restart (a new outcome), then the learner dies mid-study.
        awaitStored(studyId, "count(*) filter (where event_type in ('" + EventTypes.EXPERIMENT_COMPLETED + "', '"
                + EventTypes.EXPERIMENT_FAILED + "')) >= 2", Duration.ofSeconds(60));
        stack.killAndRestart("learner-service");
        awaitStored(studyId, "count(*) filter (where event_type = '" + EventTypes.STUDY_COMPLETED
                + "' and envelope::jsonb -> 'payload' ->> 'reason' = 'budget-exhausted') = 1", Duration.ofSeconds(90));
        // The last experiment's evaluation (and a champion change) may be published after the study completed: the
        // check starts once the learner has acknowledged every record on the event topics, so what it finds missing
        // is lost, not late.
        awaitLearnerCaughtUp(Duration.ofSeconds(60));

        PostgresServer postgres = SharedInfrastructure.postgres();
        CheckReport report = StoreVerification.run(
                new StoreChecker(postgres.jdbcUrl(RunningStack.DATABASE), postgres.username(), postgres.password()),
                new LearnerEndpoints(URI.create("http://127.0.0.1:" + stack.port("learner-service"))),
                SharedInfrastructure.kafkaBootstrapServers(), List.of(studyId), System.out);
        System.out.println(report);
        assertThat(report.passed()).as(report.toString()).isTrue();
        assertThat(report.results()).hasSize(8);
    }

    /** Until the learner's consumer group has committed the end offset of every partition of the event topics. */
    private static void awaitLearnerCaughtUp(Duration patience) throws Exception {
        List<String> topics = Topics.ALL_EVENT_TOPICS;
        long deadline = System.nanoTime() + patience.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafkaBootstrapServers()))) {
            while (true) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get().values().forEach(topic -> topic.partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("learner-service")
                        .partitionsToOffsetAndMetadata().get();
                List<String> behind = ends.entrySet().stream()
                        .filter(end -> end.getValue().offset() > 0 && (committed.get(end.getKey()) == null
                                || committed.get(end.getKey()).offset() < end.getValue().offset()))
                        .map(end -> end.getKey() + " at " + end.getValue().offset())
                        .toList();
                if (behind.isEmpty()) {
                    return;
                }
                assertThat(System.nanoTime()).as("the learner acknowledges every event record within %s; behind: %s",
                        patience, behind).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /** Polls the study's stored events until {@code condition} (an aggregate over them) holds. */
    private static void awaitStored(String studyId, String condition, Duration patience) throws Exception {
        PostgresServer postgres = SharedInfrastructure.postgres();
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(RunningStack.DATABASE),
                    postgres.username(), postgres.password());
                 PreparedStatement query = db.prepareStatement(
                         "select " + condition + " from event_store where study_id = ?")) {
                query.setString(1, studyId);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    if (rows.getBoolean(1)) {
                        return;
                    }
                }
            }
            assertThat(System.nanoTime()).as("study %s: %s within %s", studyId, condition, patience)
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
