package dev.seedloop.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;

/**
 * The upload limits as an operator sets them ({@link OperatorProfile}), each at its edge: exactly the limit is stored,
 * one byte (or entry) more is a 413 problem+json that stores nothing.
 */
@QuarkusTest
@TestProfile(OperatorProfile.class)
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class UploadLimitsTest {

    private static final int FILE = OperatorProfile.MAX_FILE_BYTES;
    private static final int FILES = OperatorProfile.MAX_FILES;
    private static final int TOTAL = OperatorProfile.MAX_TOTAL_BYTES;
    private static final int BODY = OperatorProfile.MAX_BODY_BYTES;

    @BeforeAll
    static void start() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @Test
    void aFileExactlyAtTheFileLimitIsStoredAndOneByteMoreIs413() {
        upload(Uploads.tarGz(tar -> Uploads.file(tar, "big.txt", unique(FILE))), "application/gzip").statusCode(201);
        tooLarge(upload(Uploads.tarGz(tar -> Uploads.file(tar, "big.txt", unique(FILE + 1))), "application/gzip"))
                .body("errors[0].path", equalTo("big.txt"));
    }

    @Test
    void exactlyTheEntryLimitIsStoredAndOneEntryMoreIs413() {
        upload(files(FILES, 64), "application/gzip").statusCode(201);
        tooLarge(upload(files(FILES + 1, 64), "application/gzip"));
    }

    @Test
    void filesOfExactlyTheTotalLimitAreStoredAndOneByteMoreIs413() {
        upload(files(TOTAL / FILE, FILE), "application/gzip").statusCode(201);
        tooLarge(upload(Uploads.tarGz(tar -> {
            for (int i = 0; i < TOTAL / FILE; i++) {
                Uploads.file(tar, "f" + i, unique(FILE));
            }
            Uploads.file(tar, "one-more", "x");
        }), "application/gzip"));
    }

    @Test
    void aZipOfExactlyTheTotalLimitIsStoredAndOneByteMoreIs413() {
        upload(zipOfSize(TOTAL), "application/zip").statusCode(201);
        tooLarge(upload(zipOfSize(TOTAL + 1), "application/zip"));
    }

    @Test
    void aBodyOfExactlyTheHttpLimitIsReadAndOneByteMoreIs413BeforeItIsRead() {
        upload(gzipOfSize(BODY), "application/gzip").statusCode(201);
        upload(gzipOfSize(BODY + 1), "application/gzip").statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://seedloop.dev/problems/body-too-large"));
    }

    private static ValidatableResponse upload(byte[] body, String contentType) {
        return given().auth().oauth2(OperatorProfile.token("alice-researcher")).contentType(contentType).body(body)
                .when().post("/api/v1/workspaces").then();
    }

    private static ValidatableResponse tooLarge(ValidatableResponse response) {
        return response.statusCode(413).contentType("application/problem+json").body("reason", equalTo("limit-exceeded"));
    }

    /** {@code bytes} characters, unique to this call (so every upload is a new tree, answered 201). */
    private static String unique(int bytes) {
        String id = UUID.randomUUID().toString();
        return id + "x".repeat(bytes - id.length());
    }

    private static byte[] files(int count, int bytes) {
        return Uploads.tarGz(tar -> {
            for (int i = 0; i < count; i++) {
                Uploads.file(tar, "f" + i, unique(bytes));
            }
        });
    }

    /** A zip of one small file, its archive comment filling it to exactly {@code size} bytes. */
    private static byte[] zipOfSize(int size) {
        byte[] content = unique(64).getBytes(StandardCharsets.UTF_8);
        int plain = zip(content, "").length;
        byte[] zip = zip(content, "c".repeat(size - plain));
        assertThat(zip).hasSize(size);
        return zip;
    }

    private static byte[] zip(byte[] content, String comment) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            zip.setComment(comment);
            ZipArchiveEntry entry = new ZipArchiveEntry("a.txt");
            entry.setTime(0);
            zip.putArchiveEntry(entry);
            zip.write(content);
            zip.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A tar.gz of one file that does not compress (random hex), made exactly {@code size} bytes by a comment in its
     * gzip header (FCOMMENT, RFC 1952), which every gzip reader skips.
     */
    private static byte[] gzipOfSize(int size) {
        byte[] random = new byte[FILE / 2 - 8];
        ThreadLocalRandom.current().nextBytes(random);
        byte[] gzip = Uploads.tarGz(tar -> Uploads.file(tar, "random.txt", HexFormat.of().formatHex(random)));
        assertThat(gzip[3]).as("no optional gzip header fields yet").isZero();
        int comment = size - gzip.length - 1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(gzip, 0, 3);
        out.write(0x10);
        out.write(gzip, 4, 6);
        out.writeBytes("c".repeat(comment).getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.write(gzip, 10, gzip.length - 10);
        assertThat(out.size()).isEqualTo(size);
        return out.toByteArray();
    }
}
