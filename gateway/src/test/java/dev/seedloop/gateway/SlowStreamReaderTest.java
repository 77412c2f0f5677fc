package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
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
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.seedloop.gateway.application.StudyStreams;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.QueryCodec;
import dev.seedloop.queries.Views;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * A live-stream reader that never reads, while its study makes events without end (issue 15, "slow SSE readers"): the
 * gateway stops producing for it once the socket buffers are full, whatever their size, cuts it off after the stall
 * timeout (2 s in tests) instead of holding its stream forever, and a reader of the same study at the same time gets
 * every event. The cut-off reader resumes with {@code Last-Event-ID} where its received events end, and loses nothing.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class SlowStreamReaderTest {

    /** How many events the readers that do read take (about 5 MB), beyond where the stalled one stops. */
    private static final int EVENTS = 3_000;
    private static final String PADDING = "p".repeat(1_500);
    private static final String STUDY = UUID.randomUUID().toString();

    static StandInLearner learner;

    @Inject
    StudyStreams streams;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
        learner.otherwise(SlowStreamReaderTest::answer);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    private static dev.seedloop.queries.QueryReply answer(Query query) {
        QueryCodec replies = new QueryCodec();
        return switch (query) {
            case Query.GetStudy get when get.studyId().equals(STUDY) && get.team().equals("team-a") -> replies.ok(
                    new Views.StudyView(STUDY, "team-a", "busy", "running", Instant.EPOCH, null, "random", "auto",
                            "loss", "minimize", null, null, List.of(), 0, 0, 0, 0, EVENTS, null, List.of(), null,
                            null));
            case Query.GetEvents get when get.studyId().equals(STUDY) && get.team().equals("team-a") -> {
                long to = get.afterSequence() + get.limit(); // the study never runs out of events
                List<Views.StoredEventView> items = new ArrayList<>();
                for (long sequence = get.afterSequence() + 1; sequence <= to; sequence++) {
                    ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", "seedloop.test.tick")
                            .put("sequence", sequence).put("padding", PADDING);
                    items.add(new Views.StoredEventView(sequence, event));
                }
                yield replies.ok(new Views.EventPage(items, true));
            }
            default -> QueryCodec.notFound("no study");
        };
    }

    @Test
    void aReaderThatStopsReadingIsCutOffWhileAnotherGetsEverythingAndItResumesWithoutLoss() throws Exception {
        long cutBefore = streams.subscribersCutOff();
        List<Long> received = null;
        // A stream can also end for another reason before it stalls (a learner reply lost on an overloaded machine
        // ends it with 503); that proves nothing either way, so the stalled reader tries again, at most three times.
        for (int attempt = 1; received == null && attempt <= 3; attempt++) {
            received = stalledReaderCutOff(cutBefore);
        }
        assertThat(received).as("the gateway cut off a reader that stopped reading").isNotNull();
        assertThat(received).isNotEmpty().containsExactlyElementsOf(sequences(1, received.size()));

        // It resumes where it was cut and loses nothing.
        long last = received.getLast();
        assertThat(readIds(last, last + EVENTS)).containsExactlyElementsOf(sequences(last + 1, last + EVENTS));

        // Still up, and the normal readers were never cut.
        given().when().get("/api/v1/auth").then().statusCode(200);
        assertThat(streams.subscribersCutOff()).isEqualTo(cutBefore + 1);
    }

    /**
     * Opens the stream on a socket that never reads while another reader reads every event; the ids the stalled one
     * received whole once the gateway has cut it off, or null when its stream ended without a cut-off.
     */
    private List<Long> stalledReaderCutOff(long cutBefore) throws Exception {
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(8 * 1024); // before connecting, so the window stays small
            stalled.connect(new java.net.InetSocketAddress("localhost", RestAssured.port));
            OutputStream request = stalled.getOutputStream();
            request.write(("GET /api/v1/studies/" + STUDY + "/stream HTTP/1.1\r\nHost: localhost\r\n"
                    + "Accept: text/event-stream\r\nAuthorization: Bearer " + Tokens.reused("alice-viewer") + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            request.flush();

            // Meanwhile a reader of the same study reads all of it.
            assertThat(readIds(null, EVENTS)).containsExactlyElementsOf(sequences(1, EVENTS));

            // The marker: the gateway itself cut the stalled reader off, within its stall timeout (2 s) of stalling.
            // (Awaitility must not fail on the unrelated uncaught errors Quarkus' worker threads log on JDK 25, see
            // ReadinessTest.)
            try {
                await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(15))
                        .until(() -> streams.subscribersCutOff() == cutBefore + 1);
            } catch (org.awaitility.core.ConditionTimeoutException notCut) {
                return null;
            }

            // What reached it before the cut ends there: the connection is closed, not left hanging.
            stalled.setSoTimeout(15_000);
            return completeEventIds(readUntilClosed(stalled.getInputStream()));
        }
    }

    private static List<Long> sequences(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Reads the stream (after {@code lastEventId} when given) until the event with sequence {@code until}. */
    private static List<Long> readIds(Long lastEventId, long until) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/api/v1/studies/" + STUDY + "/stream"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + Tokens.reused("alice-viewer"))
                .timeout(Duration.ofSeconds(30));
        if (lastEventId != null) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        List<Long> ids = new ArrayList<>();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                        StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("id:")) {
                            ids.add(Long.parseLong(line.substring(3).strip()));
                            if (ids.getLast() == until) {
                                return;
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            done.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the stream did not deliver up to " + until + "; got " + ids.size(), e);
        }
        return ids;
    }

    /** Everything until the gateway closes the connection (a reset after the data counts as closed). */
    private static byte[] readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // closed by the gateway
        }
        return all.toByteArray();
    }

    /** The ids of the events received whole, from a raw chunked HTTP/1.1 answer that may break off anywhere. */
    private static List<Long> completeEventIds(byte[] raw) {
        String answer = new String(raw, StandardCharsets.ISO_8859_1);
        assertThat(answer).startsWith("HTTP/1.1 200");
        int at = answer.indexOf("\r\n\r\n") + 4;
        StringBuilder body = new StringBuilder();
        while (true) {
            int sizeEnd = answer.indexOf("\r\n", at);
            if (sizeEnd < 0) {
                break;
            }
            int size = Integer.parseInt(answer.substring(at, sizeEnd).strip(), 16);
            if (size == 0 || sizeEnd + 2 + size > answer.length()) {
                body.append(answer, sizeEnd + 2, Math.min(answer.length(), sizeEnd + 2 + size));
                break;
            }
            body.append(answer, sizeEnd + 2, sizeEnd + 2 + size);
            at = sizeEnd + 2 + size + 2;
        }
        List<Long> ids = new ArrayList<>();
        String text = body.toString();
        int end = text.lastIndexOf("\n\n"); // an event counts once its blank line has arrived
        for (String line : text.substring(0, Math.max(0, end)).split("\n")) {
            if (line.startsWith("id:")) {
                ids.add(Long.parseLong(line.substring(3).strip()));
            }
        }
        return ids;
    }
}
