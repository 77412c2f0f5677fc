package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.StudyExport;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.Topics;
import dev.seedloop.gateway.application.StudyTransfer;
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
import io.restassured.RestAssured;

/**
 * Imports at their limits (issue 15, "parallel big imports"): a file whose events are exactly
 * {@code seedloop.gateway.imports.max-event-bytes} (1 MiB in tests) is imported, one byte more is a 400 at the line
 * that passes it; while {@code max-concurrent} (2) imports of that size are under way another is a 429 with
 * {@code Retry-After}, the gateway keeps answering, and every import is on the topic whole or not at all.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class ImportLimitsTest {

    private static final int LIMIT = 1 << 20;
    private static final int PAUSES = 4;
    private static final Instant EXPORTED = Instant.parse("2026-12-04T12:00:00Z");

    static StandInLearner learner;

    @Inject
    EventCodec codec;

    @Inject
    StudyTransfer transfer;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
        learner.otherwise(query -> query instanceof Query.StudyExists
                ? new QueryCodec().ok(new Views.ExistsView(false)) : QueryCodec.notFound("no study"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    /** A study of a StudyCreated and {@value #PAUSES} pauses whose reasons fill the file to {@code eventBytes}. */
    private Upload file(int eventBytes) {
        String id = SampleEvents.newStudyId();
        int measured = lineBytes(export(id, 0));
        String text = export(id, eventBytes - measured);
        assertThat(lineBytes(text)).isEqualTo(eventBytes);
        return new Upload(id, text.getBytes(StandardCharsets.UTF_8));
    }

    private record Upload(String studyId, byte[] body) {
    }

    private String export(String id, int extra) {
        EventEnvelope created = SampleEvents.studyCreated(id);
        List<EventEnvelope> events = new ArrayList<>();
        events.add(new EventEnvelope(UUID.fromString(id), id, created.team(), created.occurredAt(), null,
                created.correlationId(), created.producer(), created.payload()));
        for (int i = 0; i < PAUSES; i++) {
            int reason = 200_000 + (i == PAUSES - 1 ? extra : 0);
            events.add(new EventEnvelope(UUID.randomUUID(), id, created.team(), created.occurredAt().plusSeconds(i),
                    null, created.correlationId(), created.producer(), new StudyPaused("alice", "x".repeat(reason))));
        }
        StudyExport.Writer writer = new StudyExport.Writer();
        StringBuilder file = new StringBuilder(writer.header(id, created.team(), events.size(), EXPORTED)).append('\n');
        for (int i = 0; i < events.size(); i++) {
            file.append(writer.event(i + 1, codec.encodeToString(events.get(i)))).append('\n');
        }
        return file.append(writer.trailer()).append('\n').toString();
    }

    /** What the limit counts: the UTF-8 bytes of the lines before any trees, line ends not counted. */
    private static int lineBytes(String file) {
        return file.lines().mapToInt(line -> line.getBytes(StandardCharsets.UTF_8).length).sum();
    }

    @Test
    void anImportExactlyAtTheLimitIsAcceptedAndOneByteMoreIsRefusedWithNothingPublished() {
        Upload at = file(LIMIT);
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/x-ndjson").body(at.body())
                .when().post("/api/v1/imports").then().statusCode(202).body("events", equalTo(PAUSES + 1));

        Upload over = file(LIMIT + 1);
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/x-ndjson").body(over.body())
                .when().post("/api/v1/imports").then().statusCode(400).contentType("application/problem+json")
                .body("reason", equalTo("limit-exceeded"))
                .body("errors[0].path", equalTo("line " + (PAUSES + 3))); // the trailer is the byte too many

        assertPublishedWhole(at);
        assertThat(KafkaTopics.readAll(Topics.IMPORTS, r -> over.studyId().equals(r.key()))).isEmpty();
    }

    @Test
    void parallelImportsAtTheLimitAreEachWholeOrRefusedAndTheGatewayKeepsAnswering() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Upload> held = List.of(file(LIMIT), file(LIMIT));
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (Upload upload : held) {
                answers.add(client.sendAsync(importRequest(() -> heldAtHalf(upload.body(), release)),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // The marker: both are being read, each holding a slot, before the third comes. (Awaitility must not fail on the
            // unrelated uncaught errors Quarkus' worker threads log on JDK 25, see ReadinessTest).
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).until(() -> transfer.importsInProgress() == 2);

            Upload third = file(LIMIT);
            given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/x-ndjson")
                    .body(third.body()).when().post("/api/v1/imports")
                    .then().statusCode(429).contentType("application/problem+json").header("Retry-After", "5")
                    .body("retryAfterSeconds", equalTo(5));
            // Responsive meanwhile: an open read and the liveness check.
            given().when().get("/api/v1/auth").then().statusCode(200);
            given().when().get("/q/health/live").then().statusCode(200);

            release.countDown();
            for (CompletableFuture<HttpResponse<String>> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(202);
            }
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(10)).until(() -> transfer.importsInProgress() == 0);
            for (Upload upload : held) {
                assertPublishedWhole(upload);
            }
            // Published after the 429 was answered: had the third been published, it would be there by now.
            assertThat(KafkaTopics.readAll(Topics.IMPORTS, r -> third.studyId().equals(r.key()))).isEmpty();

            // The slots are free again: the refused file goes through now.
            given().auth().oauth2(Tokens.reused("alice-researcher")).contentType("application/x-ndjson")
                    .body(third.body()).when().post("/api/v1/imports").then().statusCode(202);
            assertPublishedWhole(third);
        } finally {
            release.countDown();
        }
    }

    private static HttpRequest importRequest(java.util.function.Supplier<InputStream> body) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/v1/imports"))
                .header("Content-Type", "application/x-ndjson")
                .header("Authorization", "Bearer " + Tokens.reused("alice-researcher"))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(body)).build();
    }

    /** The body's first half at once, the rest once {@code release} opens. */
    private static InputStream heldAtHalf(byte[] body, CountDownLatch release) {
        int half = body.length / 2;
        InputStream rest = new InputStream() {
            private InputStream bytes;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                if (bytes == null) {
                    try {
                        if (!release.await(60, TimeUnit.SECONDS)) {
                            throw new IOException("never released");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                    bytes = new ByteArrayInputStream(body, half, body.length - half);
                }
                return bytes.read(into, offset, length);
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(body, 0, half), rest);
    }

    /** The learner's topic has every event of the upload's study, in slices, and nothing more. */
    private void assertPublishedWhole(Upload upload) {
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                KafkaTopics.readAll(Topics.IMPORTS, r -> upload.studyId().equals(r.key())).stream()
                        .flatMap(slice -> new String(slice.value(), StandardCharsets.UTF_8).lines())
                        .map(codec::decode).map(EventEnvelope::eventId).toList())
                .hasSize(PAUSES + 1).doesNotHaveDuplicates());
    }
}
