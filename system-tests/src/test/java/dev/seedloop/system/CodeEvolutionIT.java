package dev.seedloop.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.FilePatch;
import dev.seedloop.events.ModelCallCompleted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.ScriptedChatServer;
import dev.seedloop.testsupport.Tokens;
import io.restassured.RestAssured;

/**
 * The code-evolution example end to end (examples/code-evolution/bin-packing): an llm study, created through the
 * gateway from the example's own study.yaml and workspace, whose model is the example's scripted model behind a real
 * OpenAI-compatible HTTP server ({@link ScriptedChatServer}), runs to completion on the real stack (Kafka,
 * PostgreSQL, Keycloak, bubblewrap). Its champion beats the seed program (first fit); the scripted bad answers are
 * refused and recorded with their reasons; every call is a priced ModelCallCompleted; the model-call API and the
 * postmortem show the code's changes and what they cost. A second study with the same spec and seed then makes the
 * same proposals, ordinal by ordinal, from the recorded answers, and the model server counts no new request.
 */
class CodeEvolutionIT {

    private static final EventCodec CODEC = new EventCodec();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REFUSAL_CODE = Pattern.compile("^([a-z-]+):");
    private static final String USER = "alice-researcher";
    private static final int EXPERIMENTS = 6;

    private static RunningStack stack;
    private static Path task;

    @BeforeAll
    static void startStack() throws Exception {
        stack = RunningStack.get();
        task = Path.of("").toAbsolutePath().getParent().resolve("examples/code-evolution/bin-packing");
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void theScriptedModelEvolvesABetterPackerAndASameSeedCopyReplaysItWithoutAnyCall() throws Exception {
        ScriptedAnswers script = ScriptedAnswers.load(task.resolve("answers"));
        ScriptedChatServer model = stack.model();
        // Tokens as a real server would count them, roughly: one per 4 characters of prompt and of answer.
        model.answerWith(call -> {
            String answer = script.answer(call.user());
            return ScriptedChatServer.Reply.answer(answer, Math.max(1, call.prompt().length() / 4),
                    Math.max(1, answer.length() / 4));
        });
        String tree = Uploads.workspace(stack, USER, task.resolve("workspace"));
        String spec = spec(tree, "code evolution " + UUID.randomUUID());

        int requestsBefore = model.requestCount();
        Run original = awaitRun(create(spec));
        int requestsMade = model.requestCount() - requestsBefore;

        // The study ran its budget of experiments and ended.
        assertThat(original.completed().reason()).isEqualTo("budget-exhausted");
        assertThat(original.completed().experimentsRun()).isEqualTo(EXPERIMENTS);

        // Every call is an event with its tokens and its cost from the configured price table; none replayed.
        List<ModelCallCompleted> calls = original.calls();
        assertThat(calls).hasSize(requestsMade).isNotEmpty();
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.model()).isEqualTo(RunningStack.MODEL);
            assertThat(c.answered()).as(c.failure()).isTrue();
            assertThat(c.replayed()).isFalse();
            assertThat(c.tokensIn()).isPositive();
            assertThat(c.tokensOut()).isPositive();
            assertThat(c.costUsd()).isCloseTo((c.tokensIn() * RunningStack.PRICE_IN_PER_MILLION
                    + c.tokensOut() * RunningStack.PRICE_OUT_PER_MILLION) / 1e6, within(1e-12));
        });

        // Bad answers were refused, each with its reason recorded, and never reached an experiment.
        Set<String> refusals = new TreeSet<>();
        for (ProposalRejected rejected : original.rejections()) {
            Matcher code = REFUSAL_CODE.matcher(rejected.reason());
            refusals.add(code.find() ? code.group(1) : rejected.reason());
        }
        assertThat(refusals).as("refusal reasons recorded: " + original.rejections())
                .contains("protected-path", "markers-changed", "malformed-block");
        assertThat(original.rejections()).filteredOn(r -> r.reason().startsWith("protected-path"))
                .allSatisfy(r -> assertThat(r.violations()).anyMatch(v -> v.contains("Harness.java")));
        assertThat(original.proposals().values()).as("no proposal that ran touches the protected harness")
                .allSatisfy(p -> assertThat(p.patches()).extracting(FilePatch::path).doesNotContain("Harness.java"));

        // The champion is code the model wrote, and better than the seed program on the same training seeds.
        double seedValue = seedProgramValue(original);
        ProposalCreated champion = original.proposals().values().stream()
                .filter(p -> p.proposalId().equals(original.completed().championProposalId())).findFirst()
                .orElseThrow();
        assertThat(champion.patches()).extracting(FilePatch::path).containsExactly("Priority.java");
        assertThat(original.completed().bestValue()).as("champion against first fit").isLessThan(seedValue);

        // The API lists every call with its cost; the postmortem shows the code's lineage with its diffs and costs.
        String studyId = original.studyId();
        List<Map<String, Object>> listed = given().port(stack.port("gateway")).auth().oauth2(Tokens.of(USER))
                .queryParam("limit", 500).get("/api/v1/studies/" + studyId + "/model-calls")
                .then().statusCode(200).extract().path("items");
        assertThat(listed).hasSize(calls.size());
        assertThat(listed).allSatisfy(c -> assertThat(((Number) c.get("costUsd")).doubleValue()).isPositive());
        String postmortem = given().port(stack.port("gateway")).auth().oauth2(Tokens.of(USER))
                .accept("text/markdown").get("/api/v1/studies/" + studyId + "/postmortem")
                .then().statusCode(200).extract().asString();
        String championLine = champion.patches().getFirst().diff().lines()
                .filter(line -> line.startsWith("+") && !line.startsWith("+++") && !line.isBlank() && line.length() > 8)
                .findFirst().orElseThrow();
        assertThat(postmortem).as("the code lineage: the champion's change as a diff, every proposal's cost")
                .contains(championLine.strip().substring(1).strip()).contains("Priority.java").contains("(champion)")
                .containsIgnoringCase("cost");

        // A copy with the same spec and seed: the same decisions, answered from the record, no request to the model.
        Run copy = awaitRun(create(spec));
        assertThat(copy.completed().reason()).isEqualTo("budget-exhausted");
        assertThat(model.requestCount()).as("requests to the model server after the copy completed")
                .isEqualTo(requestsBefore + requestsMade);
        assertThat(copy.calls()).hasSameSizeAs(calls).allSatisfy(c -> {
            assertThat(c.replayed()).isTrue();
            assertThat(c.billedCostUsd()).isZero();
        });
        assertThat(copy.proposalsByOrdinal()).as("proposals by ordinal: operator, parents' ordinals, patches")
                .isEqualTo(original.proposalsByOrdinal());
        assertThat(copy.rejectionsByOrdinal()).isEqualTo(original.rejectionsByOrdinal());
        assertThat(copy.completed().bestValue()).isEqualTo(original.completed().bestValue());
    }

    /** The example's study.yaml with the uploaded tree, a name of this run's own, and a budget that keeps it quick. */
    @SuppressWarnings("unchecked")
    private static String spec(String tree, String name) throws Exception {
        Map<String, Object> spec = (Map<String, Object>) new Yaml().load(Files.readString(task.resolve("study.yaml")));
        assertThat(spec.get("strategy")).isEqualTo("llm");
        spec.put("name", name);
        spec.put("workspace", tree);
        ((Map<String, Object>) spec.get("experiment")).put("repeats", 1);
        Map<String, Object> budget = (Map<String, Object>) spec.get("budget");
        budget.put("maxExperiments", EXPERIMENTS);
        budget.put("parallelism", 2);
        budget.put("maxWallSeconds", 900);
        budget.put("model", Map.of("maxCalls", 40, "maxCostUsd", 1.0));
        // Mutation only, one arm: the learner weighs arms by yield per billed dollar, and a copy answered from the
        // record bills nothing (it weighs per call), so with several arms the copy's weights, and then its draws,
        // could differ from the original's for that reason alone (reported for the learner to weigh recorded cost).
        ((Map<String, Object>) spec.get("strategyOptions")).put("crossover-rate", "0");
        return JSON.writeValueAsString(spec);
    }

    private static String create(String spec) {
        return given().port(stack.port("gateway")).contentType("application/json")
                .auth().oauth2(Tokens.of(USER)).body(spec)
                .when().post("/api/v1/studies")
                .then().statusCode(201).extract().path("studyId");
    }

    /**
     * The seed program's (first fit's) training value on the seeds the champion's experiment ran with: the harness is
     * deterministic, so running it here as the sandbox does (the JDK on the sandbox's PATH) gives what the study would
     * have measured for it.
     */
    private static double seedProgramValue(Run run) throws Exception {
        ExperimentCompleted championRun = run.experiments().get(run.completed().championProposalId());
        assertThat(championRun).as("the champion's experiment").isNotNull();
        Path copy = Files.createTempDirectory("seedloop-seed-program-");
        for (String file : List.of("Harness.java", "Priority.java")) {
            Files.copy(task.resolve("workspace").resolve(file), copy.resolve(file));
        }
        double total = 0;
        for (RepeatResult repeat : championRun.repeats()) {
            ProcessBuilder builder = new ProcessBuilder("java", "-Xmx128m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "Harness.java", "train").directory(copy.toFile()).redirectErrorStream(true);
            builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
            builder.environment().put("SEEDLOOP_SEED", Long.toString(repeat.seed()));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isZero();
            Matcher value = Pattern.compile("\"excess_pct\": ([0-9.]+)").matcher(output);
            assertThat(value.find()).as(output).isTrue();
            total += Double.parseDouble(value.group(1));
        }
        return total / championRun.repeats().size();
    }

    /** A run's completion, proposals, refusals and model calls, as the learner stored them. */
    record Run(String studyId, StudyCompleted completed, Map<Integer, ProposalCreated> proposals,
               Map<Integer, ProposalRejected> rejectionsAt, List<ModelCallCompleted> calls,
               Map<UUID, ExperimentCompleted> experiments) {

        List<ProposalRejected> rejections() {
            return List.copyOf(rejectionsAt.values());
        }

        /** What each ordinal proposed, without the ids that differ between studies. */
        Map<Integer, String> proposalsByOrdinal() {
            Map<UUID, Integer> ordinalOf = new LinkedHashMap<>();
            proposals.forEach((ordinal, p) -> ordinalOf.put(p.proposalId(), ordinal));
            Map<Integer, String> out = new TreeMap<>();
            proposals.forEach((ordinal, p) -> out.put(ordinal, p.operator() + " parents "
                    + p.parents().stream().map(ordinalOf::get).toList() + " from " + p.parentTree() + " "
                    + p.patches()));
            return out;
        }

        /** Refusals after a call by the call's ordinal; those before any call as one sorted list under -1. */
        Map<Integer, String> rejectionsByOrdinal() {
            Map<Integer, String> out = new TreeMap<>();
            List<String> withoutCall = new ArrayList<>();
            rejectionsAt.forEach((ordinal, r) -> {
                if (ordinal >= 0) {
                    out.put(ordinal, r.reason() + " " + r.violations());
                } else {
                    withoutCall.add(r.reason() + " " + r.violations());
                }
            });
            if (!withoutCall.isEmpty()) {
                out.put(-1, withoutCall.stream().sorted().toList().toString());
            }
            return out;
        }
    }

    private static Run awaitRun(String studyId) throws Exception {
        var completion = KafkaTopics.awaitRecords(Topics.STUDIES,
                r -> studyId.equals(r.key()) && CODEC.decode(r.value()).payload() instanceof StudyCompleted, 1,
                Duration.ofSeconds(420));
        StudyCompleted completed = (StudyCompleted) CODEC.decode(completion.getFirst().value()).payload();
        List<EventEnvelope> stored = StoredEvents.awaitCompleted(studyId);
        assertThat(stored.getFirst().payload()).isInstanceOf(StudyCreated.class);
        Map<Integer, ProposalCreated> proposals = new TreeMap<>();
        Map<UUID, Integer> callOrdinals = new LinkedHashMap<>();
        Map<Integer, ProposalRejected> rejections = new TreeMap<>();
        List<ModelCallCompleted> calls = new ArrayList<>();
        Map<UUID, ExperimentCompleted> experiments = new LinkedHashMap<>();
        for (EventEnvelope e : stored) {
            switch (e.payload()) {
                case ProposalCreated p -> proposals.put(p.ordinal(), p);
                case ModelCallCompleted c -> {
                    calls.add(c);
                    callOrdinals.put(c.proposalId(), c.ordinal());
                }
                // A refusal after a call has the call's ordinal; one before any call (rare) a negative key of its own.
                case ProposalRejected r -> rejections.put(callOrdinals.getOrDefault(r.proposalId(),
                        -1 - rejections.size()), r);
                case ExperimentCompleted x -> experiments.put(x.proposalId(), x);
                default -> {
                }
            }
        }
        return new Run(studyId, completed, proposals, rejections, calls, experiments);
    }
}
