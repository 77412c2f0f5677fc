package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Topics;
import dev.seedloop.gateway.api.postmortem.PostmortemSamples;
import dev.seedloop.gateway.domain.Baselines;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;

/**
 * A study's baseline and the comparison through the gateway, with real tokens and the real broker: starting the
 * baseline publishes a StudyCreated (same budget, best-of-n, a fork at sequence 1 that inherits nothing, its id derived
 * from the study's); a second start is 409; the comparison and the postmortem's "Against its baseline" read both
 * studies as the caller's team; another team's study is 404 on either side, and bad input is a 400 problem.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class BaselineTest {

    private static final String PROBLEM = "application/problem+json";
    private static final QueryCodec CODEC = new QueryCodec();
    private static final EventCodec EVENTS = new EventCodec();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RestAssuredConfig DOUBLES = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));

    /** The studies the stand-in learner knows, by id. */
    static final Map<String, Served> studies = new ConcurrentHashMap<>();
    static StandInLearner learner;

    /** A study as the learner would answer about it, to its own team only. */
    record Served(EventEnvelope created, Views.StudyView view, Views.LineageView lineage) {

        QueryReply answer(Query query) {
            return switch (query) {
                case Query.GetStudy get -> CODEC.ok(view);
                case Query.GetLineage get -> CODEC.ok(lineage);
                case Query.GetEvents get -> {
                    try {
                        yield CODEC.ok(new Views.EventPage(get.afterSequence() > 0 ? List.of()
                                : List.of(new Views.StoredEventView(1, JSON.readTree(EVENTS.encodeToString(created)))),
                                false));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                case Query.GetPostmortem get -> CODEC.ok(PostmortemSamples.llmView(view.id(), 1));
                default -> null;
            };
        }
    }

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
        learner.otherwise(query -> {
            String studyId = switch (query) {
                case Query.GetStudy q -> q.studyId();
                case Query.GetLineage q -> q.studyId();
                case Query.GetEvents q -> q.studyId();
                case Query.GetPostmortem q -> q.studyId();
                default -> null;
            };
            Served study = studyId == null ? null : studies.get(studyId);
            QueryReply reply = study == null || !study.view().team().equals(query.team()) ? null : study.answer(query);
            return reply != null ? reply : QueryCodec.notFound("no such study: " + studyId);
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    private static Served study(String team, String strategy, Map<String, String> options, double value, Double low,
            Double high, double first, long calls, double cost) {
        String id = SampleEvents.newStudyId();
        EventEnvelope sample = SampleEvents.studyCreated(id);
        StudyCreated c = (StudyCreated) sample.payload();
        EventEnvelope created = new EventEnvelope(sample.eventId(), id, team, sample.occurredAt(), null,
                sample.correlationId(), sample.producer(), new StudyCreated("packer", c.objective(), c.searchSpace(),
                        c.budget(), strategy, c.seed(), c.specSha256(), c.workspace(), c.experiment(), c.validation(),
                        c.protectedPaths(), options, c.promotion(), c.createdBy(), null));
        return served(created, value, low, high, first, calls, cost);
    }

    private static Served served(EventEnvelope created, double value, Double low, Double high, double first,
            long calls, double cost) {
        StudyCreated c = (StudyCreated) created.payload();
        Views.ChampionView champion = new Views.ChampionView(UUID.randomUUID(), UUID.randomUUID(), value, Instant.EPOCH,
                new Views.EvidenceView("beats", value, low, high, 3, 0.01, true, null), null);
        Views.StudyView view = new Views.StudyView(created.studyId(), created.team(), c.name(), "completed",
                Instant.EPOCH, c.createdBy(), c.strategy(), "auto", c.objective().metric(), "minimize",
                new Views.BudgetView(c.budget().maxExperiments(), c.budget().maxExperiments(), 0, 2), champion,
                List.of(), 40, 40, 0, 38, 200, "budget-exhausted", List.of(), null,
                new Views.ModelSpendView(calls, 0, 0, 1000, 500, cost, null, null, null, null));
        Views.LineageView lineage = new Views.LineageView(List.of(
                new Views.ChampionStepView(UUID.randomUUID(), null, first, Instant.EPOCH, null),
                new Views.ChampionStepView(champion.proposalId(), null, value, Instant.EPOCH, null)),
                List.of(), null, 0, 0);
        Served served = new Served(created, view, lineage);
        studies.put(created.studyId(), served);
        return served;
    }

    /** A request as {@code user}, reading JSON numbers as doubles (the comparison's values are doubles). */
    private static RequestSpecification as(String user) {
        return given().config(DOUBLES).auth().oauth2(Tokens.reused(user));
    }

    private static String url(String studyId, String rest) {
        return "/api/v1/studies/" + studyId + rest;
    }

    @Test
    void aBaselineIsTheSameStudyWithBestOfNAndTheComparisonSaysWhatEvolutionAdded() throws Exception {
        Served evolved = study("team-a", "llm", Map.of("top-k", "4"), 0.040, 0.038, 0.042, 0.090, 30, 0.25);
        String id = evolved.view().id();
        String baselineId = Baselines.idOf(id);
        assertThat(studies).doesNotContainKey(baselineId);

        as("alice-researcher").when().post(url(id, "/baseline"))
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/studies/" + baselineId))
                .body("studyId", equalTo(baselineId))
                .body("baselineOf", equalTo(id))
                .body("forkedFrom", equalTo(id))
                .body("forkedAt", equalTo(1))
                .body("inherited", equalTo(0))
                .body("strategy", equalTo("llm"));
        EventEnvelope published = EVENTS.decode(KafkaTopics.awaitRecords(Topics.STUDIES,
                r -> baselineId.equals(r.key()), 1, Duration.ofSeconds(30)).getFirst().value());
        StudyCreated baseline = (StudyCreated) published.payload();
        StudyCreated source = (StudyCreated) evolved.created().payload();
        assertThat(published.team()).isEqualTo("team-a");
        assertThat(baseline.strategyOptions()).containsEntry("mode", "best-of-n").containsEntry("top-k", "4");
        assertThat(baseline.budget()).isEqualTo(source.budget());
        assertThat(baseline.workspace()).isEqualTo(source.workspace());
        assertThat(baseline.seed()).isEqualTo(source.seed());
        assertThat(baseline.createdBy()).isEqualTo("alice-researcher");
        assertThat(baseline.origin().proposals()).isEmpty();

        // The learner stores it; a second start finds it.
        served(published, 0.061, 0.058, 0.064, 0.090, 30, 0.19);
        as("alice-researcher").when().post(url(id, "/baseline"))
                .then().statusCode(409).contentType(PROBLEM).body("detail", containsString(baselineId));
        as("alice-researcher").when().post(url(baselineId, "/baseline"))
                .then().statusCode(409).contentType(PROBLEM).body("detail", containsString("is the baseline of"));

        as("alice-viewer").queryParam("with", baselineId)
                .when().get(url(id, "/comparison"))
                .then().statusCode(200)
                .body("verdict", equalTo("better"))
                .body("sameBudget", equalTo(true))
                .body("study.studyId", equalTo(id))
                .body("study.strategy", equalTo("llm (evolve)"))
                .body("study.experimentsEvaluated", equalTo(38))
                .body("study.best.value", closeTo(0.040, 1e-9))
                .body("study.best.ciLow", closeTo(0.038, 1e-9))
                .body("study.best.ciHigh", closeTo(0.042, 1e-9))
                .body("study.firstValue", closeTo(0.090, 1e-9))
                .body("study.improvement", closeTo(0.050, 1e-9))
                .body("study.modelCalls", equalTo(30))
                .body("study.modelCostUsd", closeTo(0.25, 1e-9))
                .body("other.studyId", equalTo(baselineId))
                .body("other.strategy", equalTo("llm (best-of-n)"))
                .body("other.improvement", closeTo(0.029, 1e-9));
        as("alice-viewer").queryParam("with", id)
                .when().get(url(baselineId, "/comparison"))
                .then().statusCode(200).body("verdict", equalTo("worse"));

        String postmortem = as("alice-viewer").accept("text/markdown")
                .when().get(url(id, "/postmortem")).then().statusCode(200).extract().asString();
        assertThat(postmortem).contains("## Against its baseline").contains("**better**")
                .contains("llm (best-of-n)").contains("comparison?with=" + baselineId);
        as("alice-viewer").when().get(url(id, "/postmortem"))
                .then().statusCode(200).body("againstBaseline.verdict", equalTo("better"))
                .body("againstBaseline.other.studyId", equalTo(baselineId));
        as("alice-viewer").when().get(url(baselineId, "/postmortem"))
                .then().statusCode(200).body("againstBaseline", nullValue());
    }

    @Test
    void overlappingIntervalsShowNoDifference() {
        Served a = study("team-a", "tpe", Map.of(), 0.040, 0.030, 0.050, 0.09, 0, 0);
        Served b = study("team-a", "random", Map.of(), 0.045, 0.041, 0.052, 0.09, 0, 0);
        as("alice-viewer").queryParam("with", b.view().id())
                .when().get(url(a.view().id(), "/comparison"))
                .then().statusCode(200)
                .body("verdict", equalTo("no-difference-shown"))
                .body("explanation", containsString("overlap"))
                .body("study.strategy", equalTo("tpe"))
                .body("other.modelCostUsd", equalTo(0.0));
    }

    @Test
    void anotherTeamsStudyIsNotFoundOnEitherSide() {
        Served alices = study("team-a", "llm", Map.of(), 0.04, 0.03, 0.05, 0.09, 3, 0.1);
        Served bobs = study("team-b", "llm", Map.of(), 0.04, 0.03, 0.05, 0.09, 3, 0.1);
        String alice = alices.view().id();
        String bob = bobs.view().id();

        as("bob-researcher").when().post(url(alice, "/baseline"))
                .then().statusCode(404).contentType(PROBLEM);
        assertThat(studies).doesNotContainKey(Baselines.idOf(alice));
        as("bob-viewer").queryParam("with", bob).when().get(url(alice, "/comparison"))
                .then().statusCode(404).contentType(PROBLEM);
        as("alice-viewer").queryParam("with", bob).when().get(url(alice, "/comparison"))
                .then().statusCode(404).contentType(PROBLEM);
        as("alice-viewer").queryParam("with", alice).when()
                .get(url(UUID.randomUUID().toString(), "/comparison"))
                .then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void badInputIsAProblem() {
        Served a = study("team-a", "llm", Map.of(), 0.04, 0.03, 0.05, 0.09, 3, 0.1);
        String id = a.view().id();
        as("alice-viewer").when().get(url(id, "/comparison"))
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("with"));
        as("alice-viewer").queryParam("with", " ").when().get(url(id, "/comparison"))
                .then().statusCode(400).contentType(PROBLEM);
        as("alice-viewer").queryParam("with", id).when().get(url(id, "/comparison"))
                .then().statusCode(400).contentType(PROBLEM).body("detail", containsString("itself"));
        // Starting a baseline is a researcher's act, like creating a study.
        as("alice-viewer").when().post(url(id, "/baseline"))
                .then().statusCode(403);
    }
}
