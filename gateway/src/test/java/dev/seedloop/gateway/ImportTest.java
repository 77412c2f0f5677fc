package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyExport;
import dev.seedloop.events.Topics;
import dev.seedloop.gateway.domain.ImportPlacement;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Imports are checked whole: a damaged file is refused with its line and nothing reaches Kafka. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ImportTest {

    static StandInLearner learner;
    /** The studies this installation holds, by owning team. */
    static final java.util.Map<String, String> held = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    EventCodec codec;

    @BeforeAll
    static void start() {
        learner = new StandInLearner();
        learner.otherwise(query -> switch (query) {
            case Query.StudyExists exists -> new QueryCodec().ok(new Views.ExistsView(held.containsKey(exists.studyId())));
            case Query.GetStudy get when get.team().equals(held.get(get.studyId())) -> new QueryCodec().ok(
                    new Views.StudyView(get.studyId(), get.team(), "held", "completed", Instant.EPOCH, null, "random",
                            "auto", "loss", "minimize", null, null, List.of(), 0, 0, 0, 0, 1, null, List.of(), null, null));
            default -> QueryCodec.notFound("no study");
        });
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    private String export(String study, List<EventEnvelope> events) {
        StudyExport.Writer writer = new StudyExport.Writer();
        StringBuilder file = new StringBuilder(writer.header(study, "team-a", events.size(), Instant.now())).append('\n');
        for (int i = 0; i < events.size(); i++) {
            file.append(writer.event(i + 1, codec.encodeToString(events.get(i)))).append('\n');
        }
        return file.append(writer.trailer()).append('\n').toString();
    }

    /** A study as the gateway creates them: its id is its StudyCreated's event id. */
    private static List<EventEnvelope> study(String id) {
        List<EventEnvelope> events = new ArrayList<>();
        EventEnvelope created = SampleEvents.studyCreated(id);
        events.add(new EventEnvelope(java.util.UUID.fromString(id), id, created.team(), created.occurredAt(), null,
                created.correlationId(), created.producer(), created.payload()));
        events.addAll(SampleEvents.proposals(id, 3));
        return events;
    }

    @Test
    void aGoodFileIsPublishedForTheLearnerUnderTheImportersTeam() {
        String id = SampleEvents.newStudyId();
        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson")
                .body(export(id, study(id)).getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/imports")
                .then().statusCode(202).body("studyId", equalTo(id)).body("team", equalTo("team-b"))
                .body("events", equalTo(4));

        var slices = KafkaTopics.awaitRecords(Topics.IMPORTS, r -> id.equals(r.key()), 1, Duration.ofSeconds(30));
        List<EventEnvelope> published = new String(slices.getFirst().value(), StandardCharsets.UTF_8).lines()
                .map(codec::decode).toList();
        assertThat(published).extracting(EventEnvelope::eventId)
                .containsExactlyElementsOf(study(id).stream().map(EventEnvelope::eventId).toList());
        assertThat(published).allSatisfy(e -> assertThat(e.team()).isEqualTo("team-b"));
    }

    @Test
    void damagedFilesAreRefusedWithTheirLineAndNothingIsPublished() {
        String id = SampleEvents.newStudyId();
        List<String> lines = export(id, study(id)).lines().toList();
        String truncated = String.join("\n", lines.subList(0, 4));
        List<String> edited = new ArrayList<>(lines);
        edited.set(2, edited.get(2).replace("\"ordinal\":0", "\"ordinal\":5"));
        for (var bad : List.of(new String[] {truncated, "line 5", "incomplete"},
                new String[] {String.join("\n", edited), "line 3", "altered"})) {
            given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson").body(bad[0].getBytes(StandardCharsets.UTF_8))
                    .when().post("/api/v1/imports")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].path", equalTo(bad[1]))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString(bad[2]));
        }
        held.put(id, "team-b");
        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson")
                .body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)).when().post("/api/v1/imports")
                .then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("already your team's"));
        given().auth().oauth2(Tokens.reused("bob-viewer")).contentType("application/x-ndjson")
                .body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)).when().post("/api/v1/imports").then().statusCode(403);
        assertThat(KafkaTopics.readAll(Topics.IMPORTS, r -> id.equals(r.key()))).isEmpty();
    }

    @Test
    void aFileCarryingTeamGovernanceIsRefusedAndNothingIsPublished() {
        String id = SampleEvents.newStudyId();
        List<EventEnvelope> events = new ArrayList<>(study(id));
        EventEnvelope quota = SampleEvents.teamQuotaSet();
        // A quota raise slipped into the study's own stream: it would raise the importing team's quota.
        events.add(new EventEnvelope(quota.eventId(), id, quota.team(), quota.occurredAt(), null,
                quota.correlationId(), quota.producer(), new dev.seedloop.events.TeamQuotaSet(1000, 10_000_000,
                        "bob-researcher")));

        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson")
                .body(export(id, events).getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/imports")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].path", equalTo("line 6"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("seedloop.team.quota-set"));

        // The same study without it goes through: its slice on the topic is the marker that the refused one,
        // answered earlier, would have been there too.
        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson")
                .body(export(id, study(id)).getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/imports").then().statusCode(202);
        var slices = KafkaTopics.awaitRecords(Topics.IMPORTS, r -> id.equals(r.key()), 1, Duration.ofSeconds(30));
        assertThat(slices).singleElement().satisfies(slice -> assertThat(new String(slice.value(),
                StandardCharsets.UTF_8)).doesNotContain("quota-set"));
        assertThat(KafkaTopics.readAll(Topics.IMPORTS, r -> id.equals(r.key()))).hasSize(1);
    }

    @Test
    void anotherTeamsStudyOfThisInstallationComesInAsACopyWithTheSameEventIdsOnce() {
        String id = SampleEvents.newStudyId();
        held.put(id, "team-a");
        String copy = ImportPlacement.copyId(id, "team-b");
        byte[] file = export(id, study(id)).getBytes(StandardCharsets.UTF_8);

        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson").body(file)
                .when().post("/api/v1/imports")
                .then().statusCode(202).body("studyId", equalTo(copy)).body("team", equalTo("team-b"))
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/studies/" + copy));

        var slices = KafkaTopics.awaitRecords(Topics.IMPORTS, r -> copy.equals(r.key()), 1, Duration.ofSeconds(30));
        List<EventEnvelope> published = new String(slices.getFirst().value(), StandardCharsets.UTF_8).lines()
                .map(codec::decode).toList();
        assertThat(published).extracting(EventEnvelope::eventId)
                .containsExactlyElementsOf(study(id).stream().map(EventEnvelope::eventId).toList());
        assertThat(published).allSatisfy(e -> {
            assertThat(e.studyId()).isEqualTo(copy);
            assertThat(e.team()).isEqualTo("team-b");
        });
        assertThat(KafkaTopics.readAll(Topics.IMPORTS, r -> id.equals(r.key()))).as("the original is left alone")
                .isEmpty();

        held.put(copy, "team-b");
        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson").body(file)
                .when().post("/api/v1/imports")
                .then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("already imported"));

        // The copy's own export names the copy; its first event still names the study it copies.
        List<EventEnvelope> copied = published;
        byte[] copyFile = export(copy, copied).getBytes(StandardCharsets.UTF_8);
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/x-ndjson").body(copyFile)
                .when().post("/api/v1/imports")
                .then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("already your team's"));
        given().auth().oauth2(Tokens.reused("bob-researcher")).contentType("application/x-ndjson").body(copyFile)
                .when().post("/api/v1/imports")
                .then().statusCode(409);
    }
}
