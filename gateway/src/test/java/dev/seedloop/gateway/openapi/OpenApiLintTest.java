package dev.seedloop.gateway.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.seedloop.testsupport.KafkaTestResource;
import dev.seedloop.testsupport.KeycloakTestResource;
import dev.seedloop.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Lints the OpenAPI document the running gateway serves with a third-party linter, Spectral and its
 * {@code spectral:oas} ruleset, pinned and locked in {@code openapi-lint/}. Any error fails the build; warnings are printed with their
 * count. Node and npm are required: without them this test fails, it never skips. {@code npm ci} runs only when
 * {@code node_modules} is missing or was installed from another lock file.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(KeycloakTestResource.class)
@QuarkusTestResource(PostgresTestResource.class)
class OpenApiLintTest {

    private static final Path LINT = Path.of("openapi-lint").toAbsolutePath();
    private static final Path OUT = Path.of("target", "openapi-lint").toAbsolutePath();
    /** Written after a successful {@code npm ci}: the SHA-256 of the lock file it installed. */
    private static final Path INSTALLED = LINT.resolve("node_modules").resolve(".seedloop-lock.sha256");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration LINT_TIMEOUT = Duration.ofMinutes(2);
    private static final int ERROR = 0;
    private static final int WARNING = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theServedDocumentHasNoLintErrors() throws Exception {
        String served = OpenApiDocumentTest.servedDocument().prettify();
        Lint lint = lint("served-openapi.json", served);
        System.out.printf("Spectral (spectral:oas) on the served OpenAPI document: %d error(s), %d warning(s)%n%s",
                lint.errors(), lint.warnings(), lint.report());
        assertThat(lint.errors()).as("Spectral errors in the served OpenAPI document:%n%s", lint.report()).isZero();
    }

    /** The check is only worth its keep if the linter does fail a broken document. */
    @Test
    void aDocumentWithADanglingReferenceFailsTheLint() throws Exception {
        ObjectNode broken = (ObjectNode) JSON.readTree(OpenApiDocumentTest.servedDocument().prettify());
        assertThat(((ObjectNode) broken.path("components").path("schemas")).remove("Problem")).isNotNull();
        Lint lint = lint("broken-openapi.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(broken));
        assertThat(lint.errors()).as(lint.report()).isPositive();
        assertThat(lint.report()).contains("#/components/schemas/Problem");
    }

    record Lint(int errors, int warnings, String report) {
    }

    private static Lint lint(String name, String document) throws Exception {
        installLinter();
        Files.createDirectories(OUT);
        Path input = OUT.resolve(name);
        Files.writeString(input, document, StandardCharsets.UTF_8);
        Path results = OUT.resolve(name.replace(".json", "-spectral.json"));
        Files.deleteIfExists(results);
        Run run = run(List.of(LINT.resolve("node_modules/.bin/spectral").toString(), "lint", "--quiet",
                "--ruleset", LINT.resolve(".spectral.yaml").toString(), "--format", "json", "--output",
                results.toString(), "--fail-severity", "error", input.toString()), LINT_TIMEOUT);
        assertThat(results).as("Spectral wrote no results (exit %d):%n%s", run.exit(), run.output()).exists();
        int errors = 0;
        int warnings = 0;
        List<String> lines = new ArrayList<>();
        for (JsonNode result : JSON.readTree(results.toFile())) {
            int severity = result.path("severity").asInt();
            errors += severity == ERROR ? 1 : 0;
            warnings += severity == WARNING ? 1 : 0;
            lines.add(String.format("  %-7s %-28s %s  at %s%n", severity == ERROR ? "error" : "warning",
                    result.path("code").asText(), result.path("message").asText(),
                    String.join(".", JSON.convertValue(result.path("path"), String[].class))));
        }
        // Spectral exits 1 exactly when it found errors; anything else is the linter failing, not the document.
        assertThat(run.exit()).as("Spectral's exit status with %d error(s):%n%s", errors, run.output())
                .isEqualTo(errors > 0 ? 1 : 0);
        return new Lint(errors, warnings, String.join("", lines));
    }

    private static synchronized void installLinter() throws Exception {
        String lock = sha256(LINT.resolve("package-lock.json"));
        if (Files.isRegularFile(INSTALLED) && Files.readString(INSTALLED).strip().equals(lock)
                && Files.isRegularFile(LINT.resolve("node_modules/.bin/spectral"))) {
            return;
        }
        // --ignore-scripts: the linter needs no install scripts (one of its dependencies only phones home).
        Run install = run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), INSTALL_TIMEOUT);
        assertThat(install.exit()).as("npm ci in %s failed:%n%s", LINT, install.output()).isZero();
        Files.writeString(INSTALLED, lock + "\n");
    }

    record Run(int exit, String output) {
    }

    private static Run run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile("openapi-lint", ".log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(LINT.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.getFirst() + " (node >= 20 and npm are required for"
                    + " the OpenAPI lint; install them, the check never skips): " + e.getMessage(), e);
        }
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
        }
        String output = Files.readString(log);
        Files.delete(log);
        return new Run(process.exitValue(), output);
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
