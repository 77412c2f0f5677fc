package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.Topics;
import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KafkaTopics;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import dev.seedloop.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The public API under attack (issue 15, "Hostile API use"): every hostile request is answered with a 4xx
 * problem+json (or, for a body past the HTTP limit, a 413 and a closed connection), the gateway keeps answering, and
 * nothing is written. "Nothing written" is proved with a marker: an accepted write made after the attacks must be the
 * only thing that reached the studies topic (or the artifact store) since the attacks began.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class HostileApiTest {

    private static final String VALID = """
            {"name": "%s",
             "objective": {"metric": "loss", "direction": "minimize"},
             "searchSpace": [{"name": "alpha", "kind": "float", "low": 0.0, "high": 1.0}],
             "budget": {"maxExperiments": 5, "maxWallSeconds": 60, "parallelism": 1},
             "seed": 1}
            """;

    private static StandInLearner learner;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        learner = new StandInLearner();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        learner.close();
    }

    @Test
    void hostileSpecsAreRefusedAndNothingIsCreated() {
        long since = System.currentTimeMillis();
        String name = "hostile " + UUID.randomUUID();

        // Over the spec limit (64 KiB), as sent.
        String padded = VALID.formatted(name).replace("\"seed\": 1", "\"seed\": 1, \"x\": \"" + "a".repeat(70_000) + "\"");
        postSpec(ContentType.JSON.toString(), padded).statusCode(413).body("status", equalTo(413));

        // 10 000 levels of nesting, as JSON arrays, JSON objects, YAML flow and YAML block: 400, not a stack overflow.
        postSpec(ContentType.JSON.toString(), "[".repeat(10_000) + "]".repeat(10_000)).statusCode(400);
        postSpec(ContentType.JSON.toString(), "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)).statusCode(400);
        postSpec("application/yaml", "a: " + "[".repeat(10_000) + "]".repeat(10_000)).statusCode(400);
        StringBuilder block = new StringBuilder();
        for (int depth = 0; depth < 300; depth++) { // deep, and still within the 64 KiB spec limit
            block.append(" ".repeat(depth)).append("k:\n");
        }
        postSpec("application/yaml", block.toString()).statusCode(400);

        // Malformed YAML and JSON.
        postSpec("application/yaml", "name: [unclosed\n  objective: {").statusCode(400);
        postSpec("application/yaml", "name: a\n\tbad-tab: 1\n").statusCode(400);
        postSpec(ContentType.JSON.toString(), "{\"name\": \"x\",,}").statusCode(400);
        postSpec(ContentType.JSON.toString(), "\u0000\u0001\u0002").statusCode(400);
        postSpec(ContentType.JSON.toString(), "").statusCode(400);

        // Billion laughs: aliases doubling at each level; it must not be expanded into memory.
        StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char level = 'b'; level <= 'j'; level++) {
            char previous = (char) (level - 1);
            laughs.append(level).append(": &").append(level).append(" [");
            for (int i = 0; i < 9; i++) {
                laughs.append(i == 0 ? "" : ",").append('*').append(previous);
            }
            laughs.append("]\n");
        }
        postSpec("application/yaml", laughs.toString()).statusCode(anyOf4xx());

        // Unknown fields and wrong types.
        postSpec(ContentType.JSON.toString(), VALID.formatted(name).replace("\"seed\": 1", "\"seed\": 1, \"admin\": true"))
                .statusCode(400).body("errors.path", org.hamcrest.Matchers.hasItem("admin"));
        postSpec(ContentType.JSON.toString(), VALID.formatted(name).replace("\"seed\": 1", "\"seed\": \"one\""))
                .statusCode(400).body("errors.path", org.hamcrest.Matchers.hasItem("seed"));
        postSpec(ContentType.JSON.toString(), VALID.formatted(name).replace("\"maxExperiments\": 5",
                "\"maxExperiments\": 99999999999999999999999999")).statusCode(400);
        postSpec(ContentType.JSON.toString(), "[" + VALID.formatted(name) + "]").statusCode(400);
        postSpec(ContentType.JSON.toString(), "\"just a string\"").statusCode(400);

        // A wrong content type: 415, not a guess at what the bytes are.
        postSpec("text/plain", VALID.formatted(name)).statusCode(415);
        postSpec("application/xml", "<spec/>").statusCode(415);

        assertOnlyTheMarkerWasCreatedSince(since);
    }

    @Test
    void aSpecOfExactlyTheSizeLimitIsCreatedAndOneByteMoreIs413() {
        long since = System.currentTimeMillis();
        String spec = VALID.formatted("edge " + UUID.randomUUID());
        int room = 65_536 - spec.getBytes(StandardCharsets.UTF_8).length;
        postSpec(ContentType.JSON.toString(), spec + " ".repeat(room + 1)).statusCode(413)
                .body("type", equalTo("https://seedloop.dev/problems/spec-too-large"));
        assertOnlyTheMarkerWasCreatedSince(since);
        given().auth().oauth2(Tokens.reused("alice-researcher")).contentType(ContentType.JSON)
                .body((spec + " ".repeat(room)).getBytes(StandardCharsets.UTF_8))
                .when().post("/api/v1/studies").then().statusCode(201);
    }

    @Test
    void aBodyPastTheHttpLimitIsRefusedBeforeItIsRead() throws IOException {
        long since = System.currentTimeMillis();
        // The gateway's max body is 256 MiB; announce more and send a token amount: it must answer from the header
        // alone and close the connection, never wait for (or buffer) the rest.
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/studies HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + Tokens.reused("alice-researcher") + "\r\n"
                    + "Content-Length: " + (300L << 20) + "\r\n\r\n{\"name\":").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readUntilClosed(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: application/problem+json")
                    .contains("\"status\":413");
        }
        assertOnlyTheMarkerWasCreatedSince(since);
    }

    @Test
    void hostilePagingAndIdsAreProblems() {
        String token = Tokens.reused("alice-researcher");
        for (String query : List.of("limit=1000000000", "limit=99999999999999999999", "limit=-1", "limit=0",
                "offset=-5", "offset=abc", "limit=1e3", "limit=%00")) {
            problem(given().auth().oauth2(token).when().get("/api/v1/studies?" + query).then()).statusCode(400);
        }
        String study = UUID.randomUUID().toString();
        for (String query : List.of("after=-1", "after=x", "limit=100000000", "limit=NaN")) {
            problem(given().auth().oauth2(token).when().get("/api/v1/studies/" + study + "/events?" + query).then())
                    .statusCode(400);
        }
        problem(given().auth().oauth2(token).when().get("/api/v1/studies/" + study + "/lineage?limit=2147483648").then())
                .statusCode(400);

        // A huge id (within the request-line limit) and path traversal: refused or not found, never a file.
        problem(given().auth().oauth2(token).urlEncodingEnabled(false)
                .when().get("/api/v1/studies/" + "9".repeat(3_000)).then()).statusCode(anyOf4xx());
        problem(given().auth().oauth2(token).urlEncodingEnabled(false)
                .when().get("/api/v1/workspaces/..%2F..%2F..%2Fetc%2Fpasswd").then()).statusCode(anyOf4xx());
        problem(given().auth().oauth2(token).urlEncodingEnabled(false)
                .when().get("/api/v1/workspaces/sha256:" + "0".repeat(64) + "/files/..%2F..%2F..%2Fetc%2Fpasswd").then())
                .statusCode(anyOf4xx());
        problem(given().auth().oauth2(token).urlEncodingEnabled(false)
                .when().get("/api/v1/workspaces/" + "f".repeat(3_000) + "/archive").then()).statusCode(anyOf4xx());

        // Still up: a normal list is answered.
        given().auth().oauth2(token).when().get("/api/v1/studies?limit=10").then().statusCode(lessThan(500));
    }

    @Test
    void parallelHostileUploadsAreAllAnsweredAndNoneIsHalfStored(@TempDir Path dir) throws Exception {
        long before = Uploads.storedTreesAndGrants();
        byte[] bomb = Uploads.zipBomb(32);
        byte[] truncated = Uploads.tarGz(tar -> Uploads.file(tar, "a.txt", "x".repeat(1 << 20)));
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length / 2);
        List<Callable<Integer>> attacks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            attacks.add(() -> uploadStatus(bomb, "application/zip"));
            attacks.add(() -> uploadStatus(cut, "application/gzip"));
            attacks.add(() -> uploadStatus(truncated, "application/zip"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(attacks.size());
        try {
            for (Future<Integer> answer : pool.invokeAll(attacks, 60, TimeUnit.SECONDS)) {
                assertThat(answer.isCancelled()).as("every upload is answered in time").isFalse();
                assertThat(answer.get()).isBetween(400, 499);
            }
        } finally {
            pool.shutdownNow();
        }

        // The marker: one new, unique workspace is one tree and one owner more; the attacks stored nothing.
        Files.writeString(dir.resolve("marker.txt"), UUID.randomUUID().toString());
        Uploads.upload("alice-researcher", Uploads.tarGz(dir), "application/gzip");
        assertThat(Uploads.storedTreesAndGrants()).isEqualTo(before + 2);
    }

    private static int uploadStatus(byte[] body, String contentType) {
        return problem(given().auth().oauth2(Tokens.reused("alice-researcher")).contentType(contentType).body(body)
                .when().post("/api/v1/workspaces").then()).extract().statusCode();
    }

    private static ValidatableResponse postSpec(String contentType, String body) {
        return problem(given().auth().oauth2(Tokens.reused("alice-researcher")).contentType(contentType + "; charset=UTF-8")
                .body(body.getBytes(StandardCharsets.UTF_8)).when().post("/api/v1/studies").then());
    }

    private static ValidatableResponse problem(ValidatableResponse response) {
        return response.statusCode(anyOf4xx()).contentType("application/problem+json")
                .body("status", greaterThanOrEqualTo(400)).body("title", org.hamcrest.Matchers.notNullValue());
    }

    private static org.hamcrest.Matcher<Integer> anyOf4xx() {
        return org.hamcrest.Matchers.both(greaterThanOrEqualTo(400)).and(lessThan(500));
    }

    /** An accepted study after the attacks must be the only record the studies topic got since {@code since}. */
    private static void assertOnlyTheMarkerWasCreatedSince(long since) {
        String marker = given().auth().oauth2(Tokens.reused("alice-researcher")).contentType(ContentType.JSON)
                .body(VALID.formatted("marker " + UUID.randomUUID()))
                .when().post("/api/v1/studies").then().statusCode(201).extract().path("studyId");
        KafkaTopics.awaitRecords(Topics.STUDIES, r -> marker.equals(r.key()), 1, Duration.ofSeconds(30));
        assertThat(KafkaTopics.readAll(Topics.STUDIES, r -> r.timestamp() >= since).stream().map(r -> r.key()))
                .containsExactly(marker);
    }

    private static String readUntilClosed(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
