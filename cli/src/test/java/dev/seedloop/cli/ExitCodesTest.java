package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.seedloop.cli.client.ExitCode;

class ExitCodesTest extends CliTestBase {

    @ParameterizedTest
    @CsvSource({"400,2", "401,3", "403,4", "404,5", "409,6", "429,7", "500,8", "503,8", "418,1"})
    void eachErrorStatusHasItsExitCodeAndAReadableLine(int status, int exit) {
        gateway.json("GET", Fixtures.STUDY_PATH, status, "{\"type\":\"about:blank\",\"title\":\"Some title\","
                + "\"status\":" + status + ",\"detail\":\"what went wrong\"}");

        CliRunner.Result result = cli.run("study", "get", Fixtures.STUDY);

        assertThat(result.exit()).isEqualTo(exit);
        assertThat(result.err()).startsWith("seedloop: Some title (HTTP " + status + "): what went wrong");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anInvalidSpecListsEveryViolationWithItsPath() throws Exception {
        Path spec = home.resolve("spec.yaml");
        java.nio.file.Files.writeString(spec, "name: x\n");
        gateway.json("POST", "/api/v1/studies", 400, "{\"title\":\"Invalid study spec\",\"status\":400,"
                + "\"detail\":\"2 problems\",\"violations\":[{\"path\":\"budget.parallelism\",\"message\":"
                + "\"must be at least 1\"},{\"path\":\"objective\",\"message\":\"is required\"}]}");

        CliRunner.Result result = cli.run("study", "create", "-f", spec.toString());

        assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(result.err().lines()).containsExactly(
                "seedloop: Invalid study spec (HTTP 400): 2 problems",
                "  budget.parallelism: must be at least 1",
                "  objective: is required");
    }

    @Test
    void aQuotaRefusalSaysWhenToRetry() {
        gateway.route("POST", Fixtures.STUDY_PATH + "/resume", (request, exchange) -> FakeGateway.respond(exchange,
                429, "{\"title\":\"Quota exceeded\",\"status\":429,\"detail\":\"team-a already runs 3 studies\"}",
                Map.of("Retry-After", "120")));

        CliRunner.Result result = cli.run("study", "resume", Fixtures.STUDY);

        assertThat(result.exit()).isEqualTo(ExitCode.RATE_LIMITED);
        assertThat(result.err().lines()).containsExactly(
                "seedloop: Quota exceeded (HTTP 429): team-a already runs 3 studies", "  Retry after 120 s.");
    }

    @Test
    void anErrorWithoutProblemBodyStillReadsWell() {
        gateway.route("GET", Fixtures.STUDY_PATH, (request, exchange) -> {
            exchange.sendResponseHeaders(401, -1);
        });

        CliRunner.Result result = cli.run("study", "get", Fixtures.STUDY);

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
        assertThat(result.err()).contains("Not logged in (HTTP 401): log in with `seedloop login`");
    }

    @Test
    void anUnreachableGatewayIsEight() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CliRunner.Result result = cli.run("--gateway", "http://127.0.0.1:" + closedPort, "study", "list");

        assertThat(result.exit()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(result.err()).contains("Cannot reach the gateway at http://127.0.0.1:" + closedPort);
    }

    @Test
    void withoutCredentialsItIsThree() {
        cli.store().delete();

        CliRunner.Result result = cli.run("study", "list");

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
        assertThat(result.err()).contains("Not logged in: run `seedloop login` first.");
        assertThat(gateway.requests).isEmpty();
    }

    @Test
    void usageErrorsAreTwo() {
        assertThat(cli.run("study", "get").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("reject", Fixtures.STUDY, "p1").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("study", "frobnicate").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("--output", "xml", "study", "list").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(gateway.requests).isEmpty();
    }

    @Test
    void helpDocumentsEveryExitCode() {
        CliRunner.Result result = cli.run("--help");

        assertThat(result.exit()).isZero();
        ExitCode.descriptions().forEach((code, meaning) -> assertThat(result.out()).contains(code + "   " + meaning));
    }

    @Test
    void callsCarryTheBearerToken() {
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 3));

        assertThat(cli.run("study", "get", Fixtures.STUDY).exit()).isZero();

        assertThat(gateway.requestsTo(Fixtures.STUDY_PATH).getFirst().header("Authorization"))
                .isEqualTo("Bearer " + Jwts.token("alice", "team-a"));
    }
}
