package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.cli.client.ExitCode;

/** {@code seedloop postmortem}: asks the gateway for the format by Accept and prints what it sent. */
class PostmortemCommandTest extends CliTestBase {

    private static final String PATH = Fixtures.STUDY_PATH + "/postmortem";
    private static final String MARKDOWN = "# Postmortem: resnet-lr-sweep\n\n## Study\n";
    private static final String HTML = "<!DOCTYPE html>\n<html lang=\"en\"><body><h1>Postmortem</h1></body></html>";
    private static final String JSON = "{\n  \"studyId\": \"" + Fixtures.STUDY + "\",\n  \"lastSequence\": 51\n}";

    @BeforeEach
    void gatewayRendersByAccept() {
        gateway.route("GET", PATH, (request, exchange) -> {
            String accept = request.header("Accept");
            String body = switch (accept) {
                case "text/markdown" -> MARKDOWN;
                case "text/html" -> HTML;
                case "application/json" -> JSON;
                default -> throw new AssertionError("unexpected Accept " + accept);
            };
            FakeGateway.respond(exchange, 200, body, Map.of("Content-Type", accept + ";charset=UTF-8"));
        });
    }

    @Test
    void markdownByDefault() {
        CliRunner.Result result = cli.run("postmortem", Fixtures.STUDY);

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(MARKDOWN);
        assertThat(gateway.requestsTo(PATH)).singleElement().satisfies(request -> {
            assertThat(request.header("Accept")).isEqualTo("text/markdown");
            assertThat(request.header("Authorization")).startsWith("Bearer ");
        });
    }

    @Test
    void htmlAsSentWithAFinalNewline() {
        CliRunner.Result result = cli.run("postmortem", Fixtures.STUDY, "--format", "html");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo(HTML + "\n");
    }

    @Test
    void jsonOnOneLineByFormatOrByOutput() {
        String oneLine = "{\"studyId\":\"" + Fixtures.STUDY + "\",\"lastSequence\":51}" + System.lineSeparator();

        assertThat(cli.run("postmortem", Fixtures.STUDY, "--format", "json").out()).isEqualTo(oneLine);
        assertThat(cli.run("--output", "json", "postmortem", Fixtures.STUDY).out()).isEqualTo(oneLine);
        assertThat(gateway.requestsTo(PATH)).extracting(r -> r.header("Accept"))
                .containsExactly("application/json", "application/json");
    }

    @Test
    void anUnknownStudyIsNotFoundAndAnUnknownFormatAUsageError() {
        gateway.json("GET", "/api/v1/studies/nope/postmortem", 404,
                "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no study nope\"}");

        CliRunner.Result missing = cli.run("postmortem", "nope");
        CliRunner.Result badFormat = cli.run("postmortem", Fixtures.STUDY, "--format", "pdf");

        assertThat(missing.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(missing.err()).contains("no study nope");
        assertThat(badFormat.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(badFormat.err()).contains("pdf");
        assertThat(gateway.requestsTo(PATH)).isEmpty();
    }
}
