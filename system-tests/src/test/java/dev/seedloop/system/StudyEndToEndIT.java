package dev.seedloop.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.Tokens;
import io.restassured.RestAssured;

/**
 * A whole study through the gateway, proposer, implementer (bubblewrap), evaluator and learner on the
 * real broker and PostgreSQL, to completion: the recorded event sequence, the champion, and the
 * learner's live state against a replay of its store.
 */
class StudyEndToEndIT {

    private static final EventCodec CODEC = new EventCodec();
    private static final String TRACE_ID = "6e0c63257de34c92bf9efcd03927272e";
    private static RunningStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = RunningStack.get();
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aSmallStudyRunsToItsBudgetAndReplaysToTheLiveState() throws Exception {
        // A quadratic bowl with its minimum at x = 1.5, y = 'b'; noise-free so the champion is predictable.
        Path workspace = Uploads.scriptWorkspace("seedloop-e2e-", """
                bonus=0; [ "$SEEDLOOP_PARAM_Y" = "b" ] || bonus=1
                awk -v x="$SEEDLOOP_PARAM_X" -v b="$bonus" 'BEGIN { printf "{\\"loss\\": %.6f}\\n", (x-1.5)^2 + b }'
                """);
        Files.writeString(workspace.resolve("check.sh"), "test -f params.json\n");
        String tree = Uploads.workspace(stack, "alice-researcher", workspace);
        String spec = """
                {"name": "e2e bowl", "objective": {"metric": "loss", "direction": "minimize"},
                 "workspace": "%s",
                 "searchSpace": [{"name": "x", "kind": "float", "low": 0, "high": 3},
                                 {"name": "y", "kind": "categorical", "choices": ["a", "b"]}],
                 "experiment": {"command": ["sh", "run.sh"], "repeats": 2, "timeoutSeconds": 30,
                                "limits": {"memoryMiB": 256, "maxProcesses": 32}},
                 "validation": {"command": ["sh", "check.sh"]},
                 "protectedPaths": ["check.sh"],
                 "budget": {"maxExperiments": 8, "parallelism": 2, "maxWallSeconds": 600},
                 "strategy": "default", "seed": 42}
                """.formatted(tree);

        String studyId = given().port(stack.port("gateway")).contentType("application/json")
                .auth().oauth2(Tokens.of("alice-researcher")).body(spec)
                .header("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")
                .when().post("/api/v1/studies")
                .then().statusCode(201).extract().path("studyId");

        var completion = KafkaTopics.awaitRecords(Topics.STUDIES,
                r -> studyId.equals(r.key()) && CODEC.decode(r.value()).payload() instanceof StudyCompleted, 1,
                Duration.ofSeconds(180));
        StudyCompleted completed = (StudyCompleted) CODEC.decode(completion.getFirst().value()).payload();
        assertThat(completed.reason()).isEqualTo("budget-exhausted");
        assertThat(completed.experimentsRun()).isEqualTo(8);

        List<EventEnvelope> stored = StoredEvents.awaitCompleted(studyId);
        Map<String, Long> counts = stored.stream().collect(Collectors.groupingBy(EventEnvelope::type,
                Collectors.counting()));
        assertThat(stored.getFirst().payload()).isInstanceOf(StudyCreated.class);
        assertThat(counts).containsEntry("seedloop.proposal.created", 8L)
                .containsEntry("seedloop.experiment.started", 8L)
                .containsEntry("seedloop.experiment.completed", 8L)
                .containsEntry("seedloop.evaluation.completed", 8L)
                .containsEntry("seedloop.study.completed", 1L);
        assertThat(counts.get("seedloop.strategy.updated")).isGreaterThanOrEqualTo(3L);
        assertThat(stored).filteredOn(e -> e.payload() instanceof ProposalCreated)
                .extracting(e -> ((ProposalCreated) e.payload()).ordinal())
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(stored).filteredOn(e -> e.payload() instanceof ExperimentCompleted)
                .allSatisfy(e -> assertThat(((ExperimentCompleted) e.payload()).validation().passed()).isTrue());
        // The code's lineage: every proposal builds on the uploaded tree, and with parameters only (no patch) the
        // tree each experiment built and ran is that same tree.
        assertThat(stored).filteredOn(e -> e.payload() instanceof ProposalCreated)
                .allSatisfy(e -> assertThat(((ProposalCreated) e.payload()).parentTree()).isEqualTo(tree));
        assertThat(stored).filteredOn(e -> e.payload() instanceof ExperimentStarted)
                .allSatisfy(e -> assertThat(((ExperimentStarted) e.payload()).tree()).isEqualTo(tree));
        assertThat(stored).filteredOn(e -> e.payload() instanceof ExperimentCompleted)
                .allSatisfy(e -> assertThat(((ExperimentCompleted) e.payload()).tree()).isEqualTo(tree));

        // The champion: the last promotion, holding the best value of any evaluation.
        List<ChampionChanged> promotions = stored.stream().filter(e -> e.payload() instanceof ChampionChanged)
                .map(e -> (ChampionChanged) e.payload()).toList();
        assertThat(promotions).isNotEmpty();
        ChampionChanged champion = promotions.getLast();
        assertThat(completed.championProposalId()).isEqualTo(champion.proposalId());
        assertThat(completed.bestValue()).isEqualTo(champion.value());
        double bestSeen = stored.stream().filter(e -> e.payload() instanceof EvaluationCompleted ev && ev.summary() != null)
                .mapToDouble(e -> ((EvaluationCompleted) e.payload()).summary().mean()).min().orElseThrow();
        assertThat(champion.value()).isEqualTo(bestSeen);

        String live = given().port(stack.port("learner-service")).get("/internal/studies/" + studyId + "/state")
                .then().statusCode(200).extract().asString();
        String replayed = given().port(stack.port("learner-service"))
                .get("/internal/studies/" + studyId + "/state?source=replay")
                .then().statusCode(200).extract().asString();
        assertThat(replayed).isEqualTo(live).contains("\"status\":\"COMPLETED\"");

        // One trace (ADR 0028): the request that created the study, and through every service each proposal's path
        // (ProposalCreated, ExperimentStarted, ExperimentCompleted, EvaluationCompleted) and the learner's requests
        // that caused the next ones, all on the broker with the caller's trace id in their traceparent header.
        for (String topic : List.of(Topics.STUDIES, Topics.STRATEGY, Topics.PROPOSALS, Topics.EXPERIMENTS,
                Topics.EVALUATIONS)) {
            var records = KafkaTopics.readAll(topic, r -> studyId.equals(r.key()));
            assertThat(records).as(topic).isNotEmpty().allSatisfy(r -> assertThat(traceId(r))
                    .as("trace of %s on %s", CODEC.decode(r.value()).type(), topic).isEqualTo(TRACE_ID));
        }
    }

    private static String traceId(org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record) {
        var header = record.headers().lastHeader("traceparent");
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8).split("-")[1];
    }
}
