package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyExport;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.QueryReply;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * An export is either a complete checked file or visibly not one. The stand-in learner pages by bytes as the real
 * one does (fewer events than asked, with {@code more}), and can fail the page after a given sequence.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ExportTest {

    /** Enough events that the file is well past any output buffer before the failing page. */
    private static final int EVENTS = 300;
    private static final int PAGE = 100;

    static StandInLearner learner;
    static final String STUDY = SampleEvents.newStudyId();
    static final List<EventEnvelope> EVENTS_OF_STUDY = new ArrayList<>();
    /** Page asked after this sequence fails; -1: none does. */
    static volatile long failAfter = -1;

    @Inject
    EventCodec codec;

    @TestHTTPResource("/")
    URI base;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        EVENTS_OF_STUDY.add(SampleEvents.studyCreated(STUDY));
        EVENTS_OF_STUDY.addAll(SampleEvents.proposals(STUDY, EVENTS - 1));
        learner = new StandInLearner();
        learner.otherwise(ExportTest::answer);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    private static QueryReply answer(Query query) {
        QueryCodec replies = new QueryCodec();
        return switch (query) {
            case Query.GetStudy get when get.studyId().equals(STUDY) && get.team().equals("team-a") -> replies.ok(
                    new Views.StudyView(STUDY, "team-a", "exported", "completed", Instant.EPOCH, null, "random",
                            "auto", "loss", "minimize", null, null, List.of(), 0, 0, 0, 0, EVENTS, null, List.of(),
                            null, null));
            case Query.GetEvents get when get.studyId().equals(STUDY) && get.team().equals("team-a") -> {
                if (get.afterSequence() == failAfter) {
                    yield QueryCodec.failed("RecordTooLargeException: the reply is too large");
                }
                // Byte-bounded pages: never the limit asked for, only what "fits", and more while any is left.
                int from = (int) get.afterSequence();
                int to = Math.min(EVENTS, from + Math.min(PAGE, get.limit()));
                EventCodec codec = new EventCodec();
                ObjectMapper json = new ObjectMapper();
                List<Views.StoredEventView> items = new ArrayList<>();
                for (int sequence = from + 1; sequence <= to; sequence++) {
                    try {
                        items.add(new Views.StoredEventView(sequence,
                                json.readTree(codec.encodeToString(EVENTS_OF_STUDY.get(sequence - 1)))));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
                yield replies.ok(new Views.EventPage(items, to < EVENTS));
            }
            default -> QueryCodec.notFound("no study");
        };
    }

    @Test
    void aStudyReadInByteBoundedPagesExportsWhole() {
        failAfter = -1;
        String file = given().auth().oauth2(Tokens.reused("alice-viewer")).accept("application/x-ndjson")
                .when().get("/api/v1/studies/" + STUDY + "/export")
                .then().statusCode(200).extract().asString();

        StudyExport.Contents contents = StudyExport.read(file.lines().toList(), codec);
        assertThat(contents.events()).isEqualTo(EVENTS_OF_STUDY);

        // A page holds what fits, which may be fewer than asked: the client follows `more`.
        given().auth().oauth2(Tokens.reused("alice-viewer")).queryParam("limit", 500)
                .when().get("/api/v1/studies/" + STUDY + "/events")
                .then().statusCode(200).body("items", hasSize(PAGE)).body("more", equalTo(true))
                .body("items[99].sequence", equalTo(PAGE));
    }

    @Test
    void aFailureBeforeTheFirstByteIsAProblemNotAFile() {
        failAfter = 0;
        given().auth().oauth2(Tokens.reused("alice-viewer")).accept("application/x-ndjson")
                .when().get("/api/v1/studies/" + STUDY + "/export")
                .then().statusCode(503).contentType("application/problem+json").body("status", equalTo(503));
    }

    @Test
    void aFailureAfterTheFirstBytesBreaksTheConnectionInsteadOfEndingTheFile() throws Exception {
        failAfter = 2 * PAGE;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(base.resolve(
                        "/api/v1/studies/" + STUDY + "/export"))
                .header("Authorization", "Bearer " + Tokens.reused("alice-viewer"))
                .header("Accept", "application/x-ndjson").timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).as("the file had begun when the page failed").isEqualTo(200);

        ByteArrayOutputStream received = new ByteArrayOutputStream();
        IOException broken = null;
        try (InputStream body = response.body()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (IOException e) {
            broken = e;
        }
        String text = received.toString(StandardCharsets.UTF_8);

        assertThat(broken).as("the response must end abnormally, not as a complete body; received %d bytes ending %s",
                text.length(), text.substring(Math.max(0, text.length() - 300))).isNotNull();
        assertThat(text).as("no problem document spliced into the file").doesNotContain("\"status\":503")
                .doesNotContain("Service Unavailable").doesNotContain("\"end\":true");
        assertThat(text.lines().count()).as("what arrived is the file up to the failing page")
                .isGreaterThanOrEqualTo(2);
        StudyExport.Refused refused = (StudyExport.Refused) org.assertj.core.api.Assertions.catchThrowable(
                () -> StudyExport.read(text.lines().toList(), codec));
        assertThat(refused).isNotNull();
        assertThat(refused.reason()).contains("incomplete");
    }
}
