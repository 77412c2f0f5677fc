package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ModelBudget;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;

/**
 * Specs of studies whose strategy is {@code llm}: options parsed by the contract's {@code LlmOptions} (a bad one is a
 * 400 naming it), template files and editable files checked against the uploaded tree, a workspace with nothing to
 * edit refused, and {@code budget.model} parsed into the StudyCreated's {@code ModelBudget} with an error for each way
 * it can be wrong.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class LlmSpecTest {

    private static final String PROBLEM = "application/problem+json";

    private static final String SPEC = """
            name: %s
            objective: {metric: score, direction: maximize}
            workspace: "%s"
            searchSpace: [{name: x, kind: float, low: 0, high: 1}]
            experiment: {command: [sh, run.sh]}
            protectedPaths: [prompts/, run.sh]
            budget: {maxExperiments: 4%s}
            strategy: %s
            strategyOptions: {%s}
            """;

    @Inject
    EventCodec codec;

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

    /** A workspace with an evolvable block in {@code heuristic.py} and a protected prompt template. */
    private static String evolvable(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(dir.resolve("heuristic.py"), "# EVOLVE-BLOCK-START\ndef score(x):\n    return x\n"
                + "# EVOLVE-BLOCK-END\n");
        Files.writeString(dir.resolve("prompts/terse.txt"), "Improve {{metric}}.\n");
        Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho '{\"score\": 1}'\n");
        return Uploads.upload("alice-researcher", Uploads.tarGz(dir), "application/gzip");
    }

    /** The same without any marker: nothing for the model to change unless a file is listed as editable. */
    private static String plain(Path dir) throws Exception {
        Files.writeString(dir.resolve("heuristic.py"), "def score(x):\n    return x\n");
        Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho '{\"score\": 1}'\n");
        return Uploads.upload("alice-researcher", Uploads.tarGz(dir), "application/gzip");
    }

    private static ValidatableResponse create(String name, String tree, String budgetExtra, String strategy,
            String options) {
        return given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/yaml")
                .body(SPEC.formatted(name, tree, budgetExtra, strategy, options).getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/studies")
                .then();
    }

    @Test
    void anLlmStudyWithAProtectedTemplateFileAndAModelBudgetIsCreatedCarryingBoth(@TempDir Path dir) throws Exception {
        String tree = evolvable(dir);

        String studyId = create("evolve", tree, ", model: {maxCalls: 40, maxCostUsd: 5.0}", "llm",
                "templates: 'default,terse', template-file.terse: prompts/terse.txt, top-k: '4'")
                .statusCode(201).extract().path("studyId");

        var records = KafkaTopics.awaitRecords(Topics.STUDIES, r -> studyId.equals(r.key()), 1, Duration.ofSeconds(30));
        EventEnvelope event = codec.decode(records.getFirst().value());
        assertThat(event.version()).isEqualTo(5);
        StudyCreated created = (StudyCreated) event.payload();
        assertThat(created.strategy()).isEqualTo("llm");
        assertThat(created.budget().model()).isEqualTo(new ModelBudget(40L, null, 5.0));
        assertThat(created.strategyOptions()).containsEntry("template-file.terse", "prompts/terse.txt");
    }

    @Test
    void anOptionLlmOptionsRefusesIsA400NamingIt(@TempDir Path dir) throws Exception {
        String tree = evolvable(dir);

        create("bad option", tree, "", "llm", "top-k: '99', mode: evolve")
                .statusCode(400).contentType(PROBLEM)
                .body("errors.path", containsInAnyOrder("strategyOptions"))
                .body("errors[0].message", allOf(containsString("top-k"), containsString("0 to 20"),
                        containsString("'99'")));
        create("unknown option", tree, "", "llm", "temprature: '0.2'")
                .statusCode(400).contentType(PROBLEM)
                .body("errors[0].message", containsString("temprature"));
    }

    @Test
    void templateAndEditableFilesMustBeFilesOfTheTreeAndEditableOnesUnprotected(@TempDir Path dir) throws Exception {
        String tree = evolvable(dir);

        create("missing files", tree, "", "llm",
                "templates: terse, template-file.terse: prompts/missing.txt, editable: 'run.sh,nope.py'")
                .statusCode(400).contentType(PROBLEM)
                .body("errors.path", containsInAnyOrder("strategyOptions.template-file.terse",
                        "strategyOptions.editable", "strategyOptions.editable"))
                .body("errors.find { it.path == 'strategyOptions.template-file.terse' }.message",
                        containsString("'prompts/missing.txt' is not a file of the workspace"))
                .body("errors.message", org.hamcrest.Matchers.hasItems(
                        containsString("'run.sh' is protected (protectedPaths 'run.sh')"),
                        containsString("'nope.py' is not a file of the workspace")));
    }

    @Test
    void aWorkspaceWithoutMarkersNeedsEditableFiles(@TempDir Path dir) throws Exception {
        String tree = plain(dir);

        create("nothing to edit", tree, "", "llm", "")
                .statusCode(400).contentType(PROBLEM)
                .body("errors.path", containsInAnyOrder("strategyOptions.editable"))
                .body("errors[0].message", containsString("EVOLVE-BLOCK-START"));
        create("whole file", tree, "", "llm", "editable: heuristic.py")
                .statusCode(201);
    }

    @Test
    void aModelBudgetIsRefusedForEachWayItCanBeWrong(@TempDir Path dir) throws Exception {
        String tree = evolvable(dir);

        create("negative", tree, ", model: {maxCalls: -1, maxTokens: 0, maxCostUsd: 0}", "llm", "")
                .statusCode(400).contentType(PROBLEM)
                .body("errors.path", containsInAnyOrder("budget.model.maxCalls", "budget.model.maxTokens",
                        "budget.model.maxCostUsd"))
                .body("errors.find { it.path == 'budget.model.maxCalls' }.message", containsString(">= 1"));
        create("none set", tree, ", model: {}", "llm", "")
                .statusCode(400).contentType(PROBLEM)
                .body("errors.path", containsInAnyOrder("budget.model"))
                .body("errors[0].message", containsString("maxCalls, maxTokens, maxCostUsd"));
        create("wrong type", tree, ", model: {maxCostUsd: five dollars, maxCalls: 2.5}", "llm", "")
                .statusCode(400).contentType(PROBLEM)
                .body("errors.path", containsInAnyOrder("budget.model.maxCostUsd", "budget.model.maxCalls"));
        create("unknown cap", tree, ", model: {maxDollars: 5}", "llm", "")
                .statusCode(400).contentType(PROBLEM)
                .body("errors.path", org.hamcrest.Matchers.hasItem(containsString("budget.model")));
        create("not llm", tree, ", model: {maxCalls: 3}", "random", "")
                .statusCode(400).contentType(PROBLEM)
                .body("errors.path", containsInAnyOrder("budget.model"))
                .body("errors[0].message", containsString("only strategy llm"));
    }
}
