package dev.seedloop.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.testsupport.Tokens;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The dashboard (issue #16) in Debian's headless Chromium against the running stack and the real Keycloak: logging in
 * through Keycloak's form, a team's studies and never another team's, a study finishing live on the page, a lineage
 * node's evidence and code diff, an approval by an approver, and a viewer who gets no approve button and whom the API
 * refuses anyway. It relies on the dashboard's DOM contract (docs: the dashboard's design notes) and writes
 * screenshots of the studies list and of a study page to {@code target/dashboard/}.
 *
 * <p>Every study is small and they run at once, started before the first test, so the class takes about as long as
 * its slowest study (the code study: a scripted language model edits a Java program).
 */
class DashboardIT {

    @RegisterExtension
    static final Browser BROWSER = new Browser();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STUDY_DONE = Duration.ofSeconds(120);

    private static RunningStack stack;
    private static String dashboard;
    /** team-a studies under manual promotion: one an approver approves in, one a viewer looks at. */
    private static String approvedStudy;
    private static String viewedStudy;
    private static String otherTeamsStudy;
    /** A team-a study whose proposals carry code (llm strategy, scripted model). */
    private static String codeStudy;
    /** The bowl's workspace as team-a uploaded it. */
    private static String teamATree;

    @BeforeAll
    static void startStudies() throws Exception {
        stack = RunningStack.get();
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        dashboard = "http://127.0.0.1:" + stack.port("gateway") + "/dashboard/";
        // A noise-free bowl with its minimum at x = 1.5; "slow.sh" takes a second per experiment.
        Path bowl = Uploads.scriptWorkspace("seedloop-dashboard-", """
                awk -v x="$SEEDLOOP_PARAM_X" 'BEGIN { printf "{\\"loss\\": %.6f}\\n", (x-1.5)^2 }'
                """);
        Files.writeString(bowl.resolve("slow.sh"), "sleep 1\nexec sh run.sh\n");
        teamATree = Uploads.workspace(stack, "alice-researcher", bowl);
        codeStudy = createCodeStudy();
        approvedStudy = create("alice-researcher",
                bowlSpec(teamATree, "dashboard approvals", "run.sh", 3, 3, "manual"));
        viewedStudy = create("alice-researcher", bowlSpec(teamATree, "dashboard viewer", "run.sh", 3, 3, "manual"));
        otherTeamsStudy = create("bob-researcher", bowlSpec(Uploads.workspace(stack, "bob-researcher", bowl),
                "team-b only", "run.sh", 1, 1, "auto"));
    }

    @AfterEach
    void theBrowserNeverThrew() {
        assertThat(BROWSER.newUncaughtErrors()).as("uncaught script errors in the browser console").isEmpty();
    }

    @Test
    void anApproverOfTeamASeesTeamAsStudiesAndNeverTeamBs() {
        // Team-b's study is in the learner's read model (team-b sees it, finished) before team-a's list is read.
        awaitStudy("bob-viewer", otherTeamsStudy, view -> "completed".equals(view.getString("status")), STUDY_DONE);
        BROWSER.logInAs("alice-approver", dashboard);
        BROWSER.open(dashboard + "#/");
        BROWSER.await("#user naming alice-approver", d -> textOf("#user").contains("alice-approver"));
        assertThat(textOf("#user")).isEqualTo("alice-approver · team-a");
        assertThat(BROWSER.attribute("#user", "data-roles").split(",")).contains("approver");
        BROWSER.await("the studies table loaded with team-a's study", ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("table#studies[data-loaded='true'] tr[data-study-id='" + approvedStudy + "']")));

        WebElement row = BROWSER.find("tr[data-study-id='" + approvedStudy + "']");
        assertThat(row.findElement(By.cssSelector("td.name")).getText()).contains("dashboard approvals");
        assertThat(row.findElement(By.cssSelector("td.name a.open-study")).getDomAttribute("href"))
                .endsWith("#/studies/" + approvedStudy);
        for (String cell : List.of("td.status", "td.progress", "td.best", "td.spend")) {
            assertThat(row.findElements(By.cssSelector(cell))).as(cell).hasSize(1);
        }
        // The table has loaded (the marker above) and shows team-a's study: team-b's is not there.
        assertThat(BROWSER.findAll("tr[data-study-id='" + otherTeamsStudy + "']")).as("team-b's study").isEmpty();
        assertThat(BROWSER.findAll("form#create-study")).as("an approver creates no studies").isEmpty();
        BROWSER.screenshot("studies");
    }

    @Test
    void aRunningStudyFinishesOnTheOpenPageWithoutAReload() {
        // Paused at once: its experiments take a second or more, two at a time, so the page opens on a study that has
        // not finished, and its third experiment runs only after the resume, while the page is watching.
        String study = create("alice-researcher", bowlSpec(teamATree, "dashboard live", "slow.sh", 3, 2, "auto"));
        awaitCall(() -> as("alice-researcher").contentType("application/json").body("{\"reason\": \"hold\"}")
                .post("/api/v1/studies/" + study + "/pause").then().extract().statusCode() == 202);

        BROWSER.logInAs("alice-approver", dashboard);
        BROWSER.open(dashboard + "#/studies/" + study);
        BROWSER.await("#study-status paused", d -> "paused".equals(textOf("#study-status")));
        BROWSER.await("#live live", ExpectedConditions.attributeToBe(By.id("live"), "data-state", "live"));
        long pausedAt = sequenceShown();
        ((JavascriptExecutor) BROWSER.driver()).executeScript("window.seedloopNotReloaded = true;");

        as("alice-researcher").contentType("application/json").body("{}").post("/api/v1/studies/" + study + "/resume")
                .then().statusCode(202);
        BROWSER.await("#live's data-sequence past " + pausedAt + " while live", d -> sequenceShown() > pausedAt
                && "live".equals(BROWSER.attribute("#live", "data-state")));
        BROWSER.await("#study-status completed", d -> "completed".equals(textOf("#study-status")), STUDY_DONE);
        long last = awaitStudy("alice-viewer", study, view -> "completed".equals(view.getString("status")),
                Duration.ofSeconds(10)).getLong("lastSequence");
        BROWSER.await("#live's data-sequence reaching the study's last sequence " + last, d -> sequenceShown() >= last);
        assertThat(((JavascriptExecutor) BROWSER.driver()).executeScript("return window.seedloopNotReloaded === true;"))
                .as("the page was never reloaded").isEqualTo(true);
    }

    @Test
    void aLineageNodeOpensItsEvidenceAndItsCodeDiff() {
        awaitStudy("alice-viewer", codeStudy, view -> "completed".equals(view.getString("status")), STUDY_DONE);
        JsonPath proposals = as("alice-viewer").queryParam("type", "seedloop.proposal.created").queryParam("limit", 500)
                .get("/api/v1/studies/" + codeStudy + "/events").then().statusCode(200).extract().jsonPath();
        // The page draws the champions and their ancestors; a champion has the evidence of its promotion.
        List<String> champions = as("alice-viewer").get("/api/v1/studies/" + codeStudy + "/lineage")
                .then().statusCode(200).extract().jsonPath().getList("champions.proposalId", String.class);
        List<Map<String, Object>> created = proposals.getList("items.event.payload");
        Map<String, Object> withCode = created.stream()
                .filter(p -> !((List<?>) p.get("patches")).isEmpty()
                        && champions.contains((String) p.get("proposalId")))
                .reduce((first, later) -> later)
                .orElseThrow(() -> new AssertionError("no champion with code among " + champions + ": " + created));
        String proposal = (String) withCode.get("proposalId");
        @SuppressWarnings("unchecked")
        String diff = ((List<Map<String, String>>) withCode.get("patches")).getFirst().get("diff");
        String changedLine = diff.lines().filter(l -> (l.startsWith("+") || l.startsWith("-"))
                        && !l.startsWith("+++") && !l.startsWith("---") && l.strip().length() > 8)
                .findFirst().orElseThrow().strip();

        BROWSER.logInAs("alice-approver", dashboard);
        BROWSER.open(dashboard + "#/studies/" + codeStudy);
        WebElement open = BROWSER.await("the lineage node of " + proposal, ExpectedConditions.elementToBeClickable(
                By.cssSelector("#lineage li.node[data-proposal-id='" + proposal + "'] button.open-node")));
        ((JavascriptExecutor) BROWSER.driver()).executeScript("arguments[0].scrollIntoView({block: 'center'});", open);
        open.click();
        BROWSER.await("#node-detail of " + proposal, ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#node-detail[data-proposal-id='" + proposal + "']")));
        BROWSER.await("pre#node-diff holding the patch's line " + changedLine,
                d -> textOf("pre#node-diff").lines().map(String::strip).anyMatch(changedLine::equals));
        assertThat(awaitText("#node-evidence")).as("the node's evidence").containsIgnoringCase("repeat")
                .containsPattern("(?i)held.?out");
        BROWSER.screenshot("lineage-node");
    }

    @Test
    void anApproverApprovesAPendingCandidateOnThePage() {
        Pending pending = openPendingCandidate("alice-approver", approvedStudy);
        String candidate = pending.candidate();
        String row = pending.row();

        String reason = "looks right " + UUID.randomUUID();
        BROWSER.find(row + " input.reason").sendKeys(reason);
        BROWSER.find(row + " button.approve").click();
        BROWSER.await("the approved candidate gone from the loaded approvals table", d -> BROWSER.findAll(row).isEmpty()
                && !BROWSER.findAll("table#approvals[data-loaded='true']").isEmpty());
        assertThat(awaitText("#approvals-message")).doesNotContainIgnoringCase("forbidden");

        JsonPath approved = awaitStudy("alice-viewer", approvedStudy,
                view -> candidate.equals(view.getString("champion.proposalId")), Duration.ofSeconds(30));
        assertThat(approved.getString("champion.approvedBy")).isEqualTo("alice-approver");
        List<Map<String, Object>> controls = approved.getList("controls");
        assertThat(controls).anySatisfy(c -> assertThat(c).containsEntry("action", "approved")
                .containsEntry("by", "alice-approver").containsEntry("reason", reason));

        // The page as a team sees it: the approved champion in the lineage, the objective chart, the approvals.
        BROWSER.await("the approved champion in the lineage", ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#lineage li.node.champion[data-proposal-id='" + candidate + "']")));
        BROWSER.await("the objective chart drawn",
                d -> !BROWSER.findAll("#chart-objective canvas, #chart-objective svg").isEmpty());
        BROWSER.screenshot("study");
    }

    @Test
    void aViewerGetsNoApproveButtonAndTheApiRefusesTheViewerAnyway() {
        Pending pending = openPendingCandidate("alice-viewer", viewedStudy);
        assertThat(BROWSER.attribute("#user", "data-roles").split(",")).contains("viewer").doesNotContain("approver");
        for (String control : List.of("button.approve", "button.reject", "input.reason")) {
            assertThat(BROWSER.findAll(pending.row() + " " + control)).as("a viewer's " + control).isEmpty();
        }
        for (String control : List.of("button#pause", "button#resume", "button#halt", "button#fork")) {
            assertThat(BROWSER.findAll(control)).as("a viewer's " + control).isEmpty();
        }

        as("alice-viewer").contentType("application/json").body("{\"reason\": \"I only watch\"}")
                .post("/api/v1/studies/" + viewedStudy + "/candidates/" + pending.candidate() + "/approve")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        assertThat(awaitStudy("alice-viewer", viewedStudy, view -> true, Duration.ofSeconds(5))
                .getList("pendingApprovals.proposalId")).as("still pending").contains(pending.candidate());
    }

    private static String textOf(String css) {
        List<WebElement> found = BROWSER.findAll(css);
        return found.isEmpty() ? "" : found.getFirst().getText().strip();
    }

    /** The text of the element {@code css} selects, once it has some. */
    private static String awaitText(String css) {
        return BROWSER.await(css + " with text", d -> textOf(css).isBlank() ? null : textOf(css));
    }

    private static long sequenceShown() {
        String sequence = BROWSER.attribute("#live", "data-sequence");
        return sequence == null || sequence.isBlank() ? -1 : Long.parseLong(sequence);
    }

    private static RequestSpecification as(String user) {
        return given().port(stack.port("gateway")).auth().oauth2(Tokens.reused(user));
    }

    private static String create(String user, String spec) {
        return as(user).contentType("application/json").body(spec).when().post("/api/v1/studies")
                .then().statusCode(201).extract().path("studyId");
    }

    private static String bowlSpec(String tree, String name, String command, int budget, int parallelism,
                                   String promotion) {
        return """
                {"name": "%s", "objective": {"metric": "loss", "direction": "minimize"}, "workspace": "%s",
                 "searchSpace": [{"name": "x", "kind": "float", "low": 0, "high": 3}],
                 "experiment": {"command": ["sh", "%s"], "repeats": 1, "timeoutSeconds": 60},
                 "budget": {"maxExperiments": %d, "parallelism": %d, "maxWallSeconds": 600},
                 "strategy": "random", "seed": 3, "promotion": "%s"}
                """.formatted(name, tree, command, budget, parallelism, promotion);
    }

    /**
     * The code-evolution example's study (examples/code-evolution/bin-packing) answered by its scripted model, cut
     * to three single-repeat experiments: its proposals carry diffs of Priority.java.
     */
    @SuppressWarnings("unchecked")
    private static String createCodeStudy() throws Exception {
        Path task = Path.of("").toAbsolutePath().getParent().resolve("examples/code-evolution/bin-packing");
        ScriptedAnswers script = ScriptedAnswers.load(task.resolve("answers"));
        stack.model().answerWith(call -> {
            String answer = script.answer(call.user());
            return dev.seedloop.testsupport.ScriptedChatServer.Reply.answer(answer, call.prompt().length() / 4 + 1,
                    answer.length() / 4 + 1);
        });
        Map<String, Object> spec = new Yaml().load(Files.readString(task.resolve("study.yaml")));
        spec.put("name", "dashboard code");
        spec.put("workspace", Uploads.workspace(stack, "alice-researcher", task.resolve("workspace")));
        ((Map<String, Object>) spec.get("experiment")).put("repeats", 1);
        spec.put("budget", Map.of("maxExperiments", 3, "parallelism", 3, "maxWallSeconds", 600,
                "model", Map.of("maxCalls", 20, "maxCostUsd", 1.0)));
        return create("alice-researcher", JSON.writeValueAsString(spec));
    }

    /** A candidate waiting for approval and the CSS selector of its row in the loaded approvals table. */
    private record Pending(String candidate, String row) {
    }

    /**
     * Waits for a candidate waiting for approval in {@code study} (through the API), logs in as {@code user}, opens the
     * study's page and answers the candidate once its row shows.
     */
    private static Pending openPendingCandidate(String user, String study) {
        String candidate = awaitStudy("alice-viewer", study, view -> !view.getList("pendingApprovals").isEmpty(),
                STUDY_DONE).getString("pendingApprovals[0].proposalId");
        BROWSER.logInAs(user, dashboard);
        BROWSER.open(dashboard + "#/studies/" + study);
        String row = "table#approvals[data-loaded='true'] tr[data-proposal-id='" + candidate + "']";
        BROWSER.await("the pending candidate's row",
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector(row)));
        return new Pending(candidate, row);
    }

    /** The study as {@code user} sees it through the API, once {@code condition} holds. */
    private static JsonPath awaitStudy(String user, String study, Predicate<JsonPath> condition, Duration within) {
        JsonPath[] last = {null};
        try {
            return new FluentWait<>(study).withTimeout(within).pollingEvery(Duration.ofMillis(250)).until(id -> {
                var response = as(user).get("/api/v1/studies/" + id).then().extract();
                last[0] = response.statusCode() == 200 ? response.jsonPath() : null;
                return last[0] != null && condition.test(last[0]) ? last[0] : null;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("study " + study + " did not reach the condition within " + within
                    + "; last view: " + (last[0] == null ? "none" : last[0].prettify()));
        }
    }

    /** Repeats {@code call} until it answers true (a control the learner may not accept yet), for up to 10 s. */
    private static void awaitCall(java.util.function.BooleanSupplier call) {
        new FluentWait<>(call).withTimeout(Duration.ofSeconds(10)).pollingEvery(Duration.ofMillis(100))
                .withMessage("the call was never accepted").until(java.util.function.BooleanSupplier::getAsBoolean);
    }
}
