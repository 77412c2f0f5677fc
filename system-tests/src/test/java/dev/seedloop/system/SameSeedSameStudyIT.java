package dev.seedloop.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.Tokens;
import io.restassured.RestAssured;

/**
 * Same seed, same study (ADR 0021): two studies with one spec and one seed, parallelism 2, run side by side through
 * the whole stack while every experiment sleeps a random time read from /dev/urandom first, so their experiments
 * finish in different orders. The metric is a function of the parameters alone. Both must make the same proposals,
 * ordinal by ordinal, and end with the same champion: the learner's requests follow the results by ordinal, not
 * the order they arrive in.
 */
class SameSeedSameStudyIT {

    private static final EventCodec CODEC = new EventCodec();
    private static RunningStack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = RunningStack.get();
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void twoRunsOfOneSeedProposeTheSameAndCrownTheSameWhateverOrderTheirExperimentsFinishIn() throws Exception {
        // Up to 2 s of sleep drawn from the kernel's entropy pool: nothing the two runs share decides it.
        Path workspace = Uploads.scriptWorkspace("seedloop-same-seed-", """
                n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
                sleep "$(awk -v n="$n" 'BEGIN { printf "%.3f", n / 65535 * 2 }')"
                bonus=0; [ "$SEEDLOOP_PARAM_Y" = "b" ] || bonus=1
                awk -v x="$SEEDLOOP_PARAM_X" -v b="$bonus" 'BEGIN { printf "{\\"loss\\": %.6f}\\n", (x-1.5)^2 + b }'
                """);
        String tree = Uploads.workspace(stack, "alice-researcher", workspace);
        String spec = """
                {"name": "same seed", "objective": {"metric": "loss", "direction": "minimize"},
                 "workspace": "%s",
                 "searchSpace": [{"name": "x", "kind": "float", "low": 0, "high": 3},
                                 {"name": "y", "kind": "categorical", "choices": ["a", "b"]}],
                 "experiment": {"command": ["sh", "run.sh"], "repeats": 1, "timeoutSeconds": 30,
                                "limits": {"memoryMiB": 256, "maxProcesses": 32}},
                 "budget": {"maxExperiments": 20, "parallelism": 2, "maxWallSeconds": 900},
                 "strategy": "evolutionary", "strategyOptions": {"warmup": "4"}, "seed": 20261203}
                """.formatted(tree);

        String first = create(spec);
        String second = create(spec);
        Run one = awaitRun(first);
        Run two = awaitRun(second);

        assertThat(one.completed().reason()).isEqualTo("budget-exhausted");
        assertThat(two.completed().reason()).isEqualTo("budget-exhausted");
        assertThat(one.proposals()).hasSize(20);
        assertThat(one.finishOrder()).as("the experiments' order differs between the runs, or this proves nothing")
                .isNotEqualTo(two.finishOrder());
        assertThat(two.proposals()).as("proposals by ordinal").isEqualTo(one.proposals());
        assertThat(two.requests()).as("requests by ordinal: count, history").isEqualTo(one.requests());
        assertThat(two.champion()).as("the champion's ordinal, parameters and value").isEqualTo(one.champion());
    }

    /** What a run proposed and asked for, by ordinal, its champion and the order its experiments were evaluated in. */
    record Run(StudyCompleted completed, Map<Integer, String> proposals, Map<Integer, String> requests,
               String champion, List<Integer> finishOrder) {
    }

    private static String create(String spec) {
        return given().port(stack.port("gateway")).contentType("application/json")
                .auth().oauth2(Tokens.of("alice-researcher")).body(spec)
                .when().post("/api/v1/studies")
                .then().statusCode(201).extract().path("studyId");
    }

    private static Run awaitRun(String studyId) throws Exception {
        var completion = KafkaTopics.awaitRecords(Topics.STUDIES,
                r -> studyId.equals(r.key()) && CODEC.decode(r.value()).payload() instanceof StudyCompleted, 1,
                Duration.ofSeconds(300));
        StudyCompleted completed = (StudyCompleted) CODEC.decode(completion.getFirst().value()).payload();
        List<EventEnvelope> stored = StoredEvents.awaitCompleted(studyId);
        assertThat(stored.getFirst().payload()).isInstanceOf(StudyCreated.class);
        Map<Integer, String> proposals = new TreeMap<>();
        Map<UUID, Integer> ordinals = new java.util.HashMap<>();
        Map<Integer, String> requests = new TreeMap<>();
        List<Integer> finishOrder = new ArrayList<>();
        for (EventEnvelope e : stored) {
            switch (e.payload()) {
                case ProposalCreated p -> {
                    proposals.put(p.ordinal(), p.operator() + " " + p.parameters());
                    ordinals.put(p.proposalId(), p.ordinal());
                }
                case StrategyUpdated u when u.proposalsRequested() > 0 -> requests.put(u.nextOrdinal(),
                        u.proposalsRequested() + " from " + u.observations().stream()
                                .map(o -> o.ordinal() + "=" + o.value()).toList() + " weights " + u.operatorWeights());
                case EvaluationCompleted v -> finishOrder.add(ordinals.get(v.proposalId()));
                default -> {
                }
            }
        }
        String champion = completed.championProposalId() == null ? "none"
                : ordinals.get(completed.championProposalId()) + " " + proposals.get(
                        ordinals.get(completed.championProposalId())) + " " + completed.bestValue();
        return new Run(completed, proposals, requests, champion, finishOrder);
    }
}
