package dev.seedloop.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.testsupport.Tokens;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The public API against the whole running stack with real Keycloak tokens, tested as an attacker would:
 * another team's study is invisible on every endpoint; roles, manual approval, live streams and halting
 * work end to end through Kafka and the learner's projections.
 */
class GatewayApiIT {

    private static RunningStack stack;
    private static Path workspace;
    /** The workspace's tree as each team uploaded it: a team can name only trees it owns. */
    private static final Map<String, String> TREES = new ConcurrentHashMap<>();

    @BeforeAll
    static void startStack() throws Exception {
        stack = RunningStack.get();
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        // A bowl with its minimum at x = 1.5; noise-free, so later candidates often beat the champion.
        workspace = Uploads.scriptWorkspace("seedloop-api-", """
                awk -v x="$SEEDLOOP_PARAM_X" 'BEGIN { printf "{\\"loss\\": %.6f}\\n", (x-1.5)^2 }'
                """);
        Files.writeString(workspace.resolve("slow.sh"), "sleep 600\n");
    }

    private static RequestSpecification as(String user) {
        return given().port(stack.port("gateway")).auth().oauth2(Tokens.of(user));
    }

    private static String tree(String user) {
        return TREES.computeIfAbsent(user, u -> {
            try {
                return Uploads.workspace(stack, u, workspace);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String create(String user, String name, String command, int budget, String promotion) {
        return as(user).contentType("application/json").body(spec(tree(user), name, command, budget, promotion))
                .when().post("/api/v1/studies")
                .then().statusCode(201).extract().path("studyId");
    }

    private static String spec(String tree, String name, String command, int budget, String promotion) {
        return """
                {"name": "%s", "objective": {"metric": "loss", "direction": "minimize"},
                 "workspace": "%s",
                 "searchSpace": [{"name": "x", "kind": "float", "low": 0, "high": 3}],
                 "experiment": {"command": ["sh", "%s"], "repeats": 1, "timeoutSeconds": 900},
                 "budget": {"maxExperiments": %d, "parallelism": 1, "maxWallSeconds": 3600},
                 "strategy": "random", "seed": 11, "promotion": "%s"}
                """.formatted(name, tree, command, budget, promotion);
    }

    /** Polls the study as {@code user} until the condition holds. */
    private static JsonPath awaitStudy(String user, String studyId, Predicate<JsonPath> condition, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            var response = as(user).when().get("/api/v1/studies/" + studyId).then().extract();
            if (response.statusCode() == 200) {
                last = response.jsonPath();
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("study " + studyId + " did not reach the condition; last view: "
                + (last == null ? "none" : last.prettify()));
    }

    @Test
    void manualApprovalIsTheOnlyWayACandidateBecomesChampionAndEveryoneElseSeesNothing() throws Exception {
        String study = create("alice-researcher", "manual bowl", "run.sh", 4, "manual");
        JsonPath pending = awaitStudy("alice-viewer", study, view -> !view.getList("pendingApprovals").isEmpty(),
                Duration.ofSeconds(90));
        assertThat(pending.getString("champion")).as("no champion before approval").isNull();
        assertThat(pending.getString("createdBy")).isEqualTo("alice-researcher");
        assertThat(pending.getString("promotion")).isEqualTo("manual");
        String candidate = pending.getString("pendingApprovals[0].proposalId");

        // Another team sees nothing of this study, on every endpoint, whatever its role.
        String someExperiment = UUID.randomUUID().toString();
        for (String user : List.of("bob-viewer", "bob-researcher", "bob-approver", "bob-admin")) {
            as(user).get("/api/v1/studies/" + study).then().statusCode(404)
                    .contentType("application/problem+json");
            as(user).get("/api/v1/studies/" + study + "/events").then().statusCode(404);
            as(user).get("/api/v1/studies/" + study + "/lineage").then().statusCode(404);
            as(user).get("/api/v1/studies/" + study + "/experiments/" + someExperiment + "/log").then().statusCode(404);
            as(user).accept("text/event-stream").get("/api/v1/studies/" + study + "/stream").then().statusCode(404);
            assertThat(as(user).get("/api/v1/studies").then().statusCode(200).extract().jsonPath()
                    .getList("items.id")).doesNotContain(study);
        }
        for (String action : List.of("pause", "resume", "halt")) {
            as("bob-researcher").contentType("application/json").body("{\"reason\": \"sabotage\"}")
                    .post("/api/v1/studies/" + study + "/" + action).then().statusCode(404);
        }
        for (String decision : List.of("approve", "reject")) {
            as("bob-approver").contentType("application/json").body("{\"reason\": \"sabotage\"}")
                    .post("/api/v1/studies/" + study + "/candidates/" + candidate + "/" + decision)
                    .then().statusCode(404);
        }

        // Not pending → conflict; then the real approval promotes exactly that candidate.
        as("alice-approver").contentType("application/json").body("{}")
                .post("/api/v1/studies/" + study + "/candidates/" + UUID.randomUUID() + "/approve")
                .then().statusCode(409).contentType("application/problem+json");
        as("alice-approver").contentType("application/json").body("{\"reason\": \"held-out looks right\"}")
                .post("/api/v1/studies/" + study + "/candidates/" + candidate + "/approve")
                .then().statusCode(202).body("by", equalTo("alice-approver"));
        JsonPath promoted = awaitStudy("alice-viewer", study,
                view -> view.getString("champion.proposalId") != null, Duration.ofSeconds(30));
        assertThat(promoted.getString("champion.proposalId")).isEqualTo(candidate);
        assertThat(promoted.getString("champion.approvedBy")).isEqualTo("alice-approver");
        assertThat(promoted.getList("pendingApprovals.proposalId")).doesNotContain(candidate);
        assertThat(promoted.getList("controls.action")).contains("approved");

        JsonPath events = as("alice-viewer").queryParam("type", "seedloop.promotion.approved")
                .queryParam("type", "seedloop.champion.changed")
                .get("/api/v1/studies/" + study + "/events").then().statusCode(200).extract().jsonPath();
        assertThat(events.getList("items.event.type")).containsSubsequence("seedloop.promotion.approved",
                "seedloop.champion.changed");
        assertThat(events.getString("items[0].event.payload.by")).isEqualTo("alice-approver");

        JsonPath lineage = as("alice-viewer").get("/api/v1/studies/" + study + "/lineage")
                .then().statusCode(200).extract().jsonPath();
        assertThat(lineage.getList("champions.proposalId")).contains(candidate);

        JsonPath experiments = as("alice-viewer").queryParam("type", "seedloop.experiment.completed")
                .get("/api/v1/studies/" + study + "/events").then().statusCode(200).extract().jsonPath();
        String experimentId = experiments.getString("items[0].event.payload.experimentId");
        as("alice-viewer").get("/api/v1/studies/" + study + "/experiments/" + experimentId + "/log")
                .then().statusCode(200).body("outcome", equalTo("completed"));
    }

    @Test
    void theLiveStreamResumesAfterLastEventIdAndHaltStopsARunningExperimentWithin10Seconds() throws Exception {
        String study = create("alice-researcher", "slow study", "slow.sh", 2, "auto");
        awaitStudy("alice-viewer", study, view -> view.getInt("lastSequence") >= 3, Duration.ofSeconds(60));

        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port("gateway")
                        + "/api/v1/studies/" + study + "/stream"))
                .header("Authorization", "Bearer " + Tokens.of("alice-viewer"))
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", "1")
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Map.Entry<Long, String>> received = new ArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> readEvents(response.body(), received));

        // Wait until the experiment runs, then halt it; the stream shows the halt and then ends.
        awaitEvent(received, "seedloop.experiment.started", Duration.ofSeconds(60));
        long haltedAt = System.nanoTime();
        as("alice-researcher").contentType("application/json").body("{\"reason\": \"wrong data set\"}")
                .post("/api/v1/studies/" + study + "/halt").then().statusCode(202);
        awaitEvent(received, "seedloop.experiment.failed", Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - haltedAt)).isLessThan(Duration.ofSeconds(10));

        JsonPath halted = awaitStudy("alice-viewer", study, view -> "halted".equals(view.getString("status")),
                Duration.ofSeconds(10));
        assertThat(halted.getString("controls[0].action")).isEqualTo("halted");
        assertThat(halted.getString("controls[0].by")).isEqualTo("alice-researcher");
        assertThat(halted.getString("controls[0].reason")).isEqualTo("wrong data set");
        reader.join(Duration.ofSeconds(20));
        assertThat(reader.isAlive()).as("the stream ends once the halted study is quiet").isFalse();

        synchronized (received) {
            List<Long> ids = received.stream().map(Map.Entry::getKey).toList();
            assertThat(ids.getFirst()).as("resumed right after Last-Event-ID").isEqualTo(2L);
            for (int i = 1; i < ids.size(); i++) {
                assertThat(ids.get(i)).as("no gaps or repeats").isEqualTo(ids.get(i - 1) + 1);
            }
            List<String> types = received.stream().map(Map.Entry::getValue).toList();
            // The implementer reports the killed run after it reads the halt, but the learner may store the two
            // in either order (different topics), so only their presence after the start is certain.
            assertThat(types).containsSubsequence("seedloop.experiment.started", "seedloop.study.halted")
                    .containsSubsequence("seedloop.experiment.started", "seedloop.experiment.failed");
        }
        as("alice-researcher").contentType("application/json").body("{}")
                .post("/api/v1/studies/" + study + "/resume").then().statusCode(409);
    }

    @Test
    void aTeamAdminsQuotaIsEnforcedOnTheLearnersCountOfActiveStudies() throws Exception {
        as("bob-admin").contentType("application/json")
                .body("{\"maxConcurrentStudies\": 1, \"maxExperimentsPerDay\": 1000}")
                .put("/api/v1/teams/team-b/quota").then().statusCode(200).body("setBy", equalTo("bob-admin"));
        awaitQuota(quota -> quota.getInt("maxConcurrentStudies") == 1);
        try {
            String running = create("bob-researcher", "occupies the quota", "slow.sh", 1, "auto");
            awaitQuota(quota -> quota.getInt("activeStudies") == 1);
            as("bob-researcher").contentType("application/json").body(spec(tree("bob-researcher"), "one too many", "run.sh", 1, "auto"))
                    .post("/api/v1/studies").then().statusCode(429).contentType("application/problem+json")
                    .header("Retry-After", org.hamcrest.Matchers.notNullValue());
            as("bob-researcher").contentType("application/json").body(spec(tree("bob-researcher"), "too big", "run.sh", 1001, "auto"))
                    .post("/api/v1/studies").then().statusCode(403);

            as("bob-researcher").contentType("application/json").body("{\"reason\": \"make room\"}")
                    .post("/api/v1/studies/" + running + "/halt").then().statusCode(202);
            awaitQuota(quota -> quota.getInt("activeStudies") == 0);
            String next = create("bob-researcher", "fits again", "slow.sh", 1, "auto");
            awaitStudy("bob-viewer", next, view -> true, Duration.ofSeconds(30));
            as("bob-researcher").contentType("application/json").body("{}")
                    .post("/api/v1/studies/" + next + "/halt").then().statusCode(202);
        } finally {
            as("bob-admin").contentType("application/json")
                    .body("{\"maxConcurrentStudies\": 20, \"maxExperimentsPerDay\": 100000}")
                    .put("/api/v1/teams/team-b/quota").then().statusCode(200);
        }
    }

    @Test
    void anExportIsACompleteCheckedFileThatAnotherTeamImportsAsACopyOnce() throws Exception {
        String study = create("alice-researcher", "exported bowl", "run.sh", 2, "auto");
        JsonPath done = awaitStudy("alice-viewer", study, view -> "completed".equals(view.getString("status")),
                Duration.ofSeconds(90));
        String file = as("alice-viewer").accept("application/x-ndjson").get("/api/v1/studies/" + study + "/export")
                .then().statusCode(200).extract().asString();
        List<String> lines = file.lines().toList();
        assertThat(lines.getFirst()).as("export begins with its header: %.300s", file).startsWith("{\"seedloopExport\":1,");
        // The study's code follows the events' trailer (ADR 0018, "Export and import"): the events part alone here.
        int trees = lines.indexOf(lines.stream().filter(l -> l.startsWith("{\"seedloopArtifacts\"")).findFirst()
                .orElseThrow());
        var contents = dev.seedloop.events.StudyExport.read(lines.subList(0, trees), new dev.seedloop.events.EventCodec());
        assertThat(contents.studyId()).isEqualTo(study);
        assertThat(contents.events()).hasSize(done.getInt("lastSequence"));
        assertThat(contents.events().getFirst().type()).isEqualTo("seedloop.study.created");
        as("bob-viewer").get("/api/v1/studies/" + study + "/export").then().statusCode(404);

        // Into another team of this installation: a copy under its own id, the same event ids, the same state.
        String copy = as("bob-researcher").contentType("application/x-ndjson")
                .body(file.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/imports").then().statusCode(202).body("team", equalTo("team-b"))
                .extract().path("studyId");
        assertThat(copy).isNotEqualTo(study);
        JsonPath copied = awaitStudy("bob-viewer", copy,
                view -> view.getLong("lastSequence") == done.getLong("lastSequence"), Duration.ofSeconds(30));
        assertThat(copied.getString("status")).isEqualTo("completed");
        assertThat(copied.getDouble("champion.value")).isEqualTo(done.getDouble("champion.value"));
        assertThat(copied.getString("champion.proposalId")).isEqualTo(done.getString("champion.proposalId"));
        List<String> copiedIds = as("bob-viewer").get("/api/v1/studies/" + copy + "/events?limit=500").then()
                .statusCode(200).extract().jsonPath().getList("items.event.eventId");
        assertThat(copiedIds).containsExactlyElementsOf(contents.events().stream()
                .map(e -> e.eventId().toString()).toList());
        as("alice-viewer").get("/api/v1/studies/" + copy).then().statusCode(404);
        assertThat(awaitStudy("alice-viewer", study, view -> true, Duration.ofSeconds(5)).getLong("lastSequence"))
                .as("the original is untouched").isEqualTo(done.getLong("lastSequence"));
        // A team never holds the same study twice.
        as("bob-researcher").contentType("application/x-ndjson").body(file.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/imports").then().statusCode(409);
        as("alice-researcher").contentType("application/x-ndjson").body(file.getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/imports").then().statusCode(409);
        List<String> tampered = new ArrayList<>(lines);
        tampered.set(2, tampered.get(2).replaceFirst("\"occurredAt\":\"2", "\"occurredAt\":\"1"));
        as("bob-researcher").contentType("application/x-ndjson")
                .body(String.join("\n", tampered).getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/imports").then().statusCode(400).body("errors[0].path", equalTo("line 3"));
    }

    @Test
    void aForkInheritsWhatItsSourceHadEvaluatedAtTheSequenceAndRunsItsOwnSpec() throws Exception {
        String source = create("alice-researcher", "source bowl", "run.sh", 6, "auto");
        JsonPath sourceDone = awaitStudy("alice-viewer", source, view -> "completed".equals(view.getString("status")),
                Duration.ofSeconds(120));
        JsonPath evaluations = as("alice-viewer").queryParam("type", "seedloop.evaluation.completed")
                .get("/api/v1/studies/" + source + "/events").then().statusCode(200).extract().jsonPath();
        long forkAt = evaluations.getLong("items[2].sequence");
        List<String> evaluatedByThen = evaluations.getList("items.event.payload.proposalId", String.class).subList(0, 3);
        String forkSpec = """
                {"name": "forked bowl", "objective": {"metric": "loss", "direction": "minimize"},
                 "workspace": "%s",
                 "searchSpace": [{"name": "x", "kind": "float", "low": 0, "high": 3}],
                 "experiment": {"command": ["sh", "run.sh"], "repeats": 1, "timeoutSeconds": 900},
                 "budget": {"maxExperiments": 3, "parallelism": 1, "maxWallSeconds": 3600},
                 "strategy": "evolutionary", "strategyOptions": {"warmup": "2"}, "seed": 5}
                """.formatted(tree("alice-researcher"));

        as("bob-researcher").contentType("application/json").body(forkSpec)
                .post("/api/v1/studies/" + source + "/forks").then().statusCode(404);
        as("alice-researcher").contentType("application/json").body(forkSpec)
                .queryParam("at", sourceDone.getLong("lastSequence") + 1)
                .post("/api/v1/studies/" + source + "/forks").then().statusCode(400)
                .contentType("application/problem+json");
        String fork = as("alice-researcher").contentType("application/json").body(forkSpec).queryParam("at", forkAt)
                .post("/api/v1/studies/" + source + "/forks").then().statusCode(201)
                .body("forkedFrom", equalTo(source)).body("inherited", equalTo(3))
                .extract().path("studyId");

        JsonPath forkDone = awaitStudy("alice-viewer", fork, view -> "completed".equals(view.getString("status")),
                Duration.ofSeconds(120));
        assertThat(forkDone.getString("origin.studyId")).isEqualTo(source);
        assertThat(forkDone.getLong("origin.atSequence")).isEqualTo(forkAt);
        assertThat(forkDone.getInt("budget.used")).as("inherited proposals spend none of the fork's budget")
                .isEqualTo(3);

        JsonPath lineage = as("alice-viewer").get("/api/v1/studies/" + fork + "/lineage")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> nodes = lineage.getList("nodes");
        List<Object> inherited = nodes.stream().filter(n -> source.equals(n.get("inheritedFrom")))
                .map(n -> n.get("proposalId")).toList();
        List<Map<String, Object>> own = nodes.stream().filter(n -> n.get("inheritedFrom") == null).toList();
        assertThat(inherited).as("exactly what the source had evaluated at the fork point")
                .containsExactlyElementsOf(evaluatedByThen);
        assertThat(own).hasSize(3);
        assertThat(own.stream().flatMap(n -> ((List<?>) n.get("parents")).stream()).toList())
                .as("the fork's own proposals descend from inherited ones: one lineage across both studies")
                .anyMatch(inherited::contains);
        assertThat(lineage.getString("origin.studyId")).isEqualTo(source);

        JsonPath first = as("alice-viewer").queryParam("limit", 1).get("/api/v1/studies/" + fork + "/events")
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getString("items[0].event.payload.origin.studyId")).isEqualTo(source);
        assertThat(first.getList("items[0].event.payload.origin.proposals.proposalId"))
                .containsExactlyElementsOf(evaluatedByThen);
        as("alice-viewer").get("/api/v1/studies/" + fork + "/postmortem").then().statusCode(200)
                .body("study.forkedFrom", equalTo(source)).body("study.forkedAt", equalTo((int) forkAt));
        assertThat(awaitStudy("alice-viewer", source, view -> true, Duration.ofSeconds(5)).getLong("lastSequence"))
                .as("forking leaves the source as it was").isEqualTo(sourceDone.getLong("lastSequence"));
    }

    private static void awaitQuota(Predicate<JsonPath> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath quota = null;
        while (System.nanoTime() < deadline) {
            quota = as("bob-viewer").get("/api/v1/teams/team-b/quota").then().statusCode(200).extract().jsonPath();
            if (condition.test(quota)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("quota never reached the condition: " + (quota == null ? "" : quota.prettify()));
    }

    private static void readEvents(InputStream body, List<Map.Entry<Long, String>> into) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            Long id = null;
            String type = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).strip());
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.isEmpty() && id != null) {
                    synchronized (into) {
                        into.add(Map.entry(id, type));
                    }
                    id = null;
                    type = null;
                }
            }
        } catch (java.io.IOException e) {
            // the stream ended
        }
    }

    private static void awaitEvent(List<Map.Entry<Long, String>> received, String type, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (received) {
                if (received.stream().anyMatch(e -> type.equals(e.getValue()))) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        synchronized (received) {
            throw new AssertionError("no " + type + " on the stream within " + within + "; got " + received);
        }
    }
}
