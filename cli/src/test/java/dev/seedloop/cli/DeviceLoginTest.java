package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.cli.auth.Credentials;
import dev.seedloop.cli.client.ExitCode;

class DeviceLoginTest extends CliTestBase {

    private static final String DEVICE_PATH = "/realms/seedloop/protocol/openid-connect/auth/device";
    private static final String TOKEN_PATH = "/realms/seedloop/protocol/openid-connect/token";
    private static final String ACCESS = Jwts.token("alice-researcher", "team-a");

    final ConcurrentLinkedQueue<String> tokenAnswers = new ConcurrentLinkedQueue<>();

    DeviceLoginTest() {
        super(Start.LOGGED_OUT);
    }

    @BeforeEach
    void routes() {
        gateway.json("POST", DEVICE_PATH, 200, "{\"device_code\":\"dev-code\",\"user_code\":\"WXYZ-1234\","
                + "\"verification_uri\":\"" + gateway.issuer() + "/device\",\"verification_uri_complete\":\""
                + gateway.issuer() + "/device?user_code=WXYZ-1234\",\"expires_in\":600,\"interval\":5}");
        gateway.route("POST", TOKEN_PATH, (request, exchange) -> {
            String next = tokenAnswers.poll();
            if (next == null || next.startsWith("{\"access_token\"")) {
                FakeGateway.respond(exchange, 200, next == null ? Jwts.tokenResponse(ACCESS, "r", 300) : next, Map.of());
            } else {
                FakeGateway.respond(exchange, 400, "{\"error\":\"" + next + "\"}", Map.of());
            }
        });
    }

    @Test
    void pollsAtTheIntervalSlowingDownWhenAsked() {
        tokenAnswers.addAll(List.of("authorization_pending", "slow_down", "authorization_pending"));

        CliRunner.Result result = cli.run("login", "--device");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("open " + gateway.issuer() + "/device and enter the code WXYZ-1234",
                "Logged in as alice-researcher (team team-a)");
        assertThat(cli.time.sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(10));
        var polls = gateway.requestsTo(TOKEN_PATH);
        assertThat(polls).hasSize(4).allSatisfy(poll -> assertThat(poll.body()).isEqualTo(
                "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=seedloop-cli"
                        + "&device_code=dev-code"));
        Credentials saved = cli.store().load().orElseThrow();
        assertThat(saved.user()).isEqualTo("alice-researcher");
        assertThat(saved.accessToken()).isEqualTo(ACCESS);
    }

    @Test
    void anExpiredDeviceCodeEndsTheLogin() {
        tokenAnswers.addAll(List.of("authorization_pending", "expired_token"));

        CliRunner.Result result = cli.run("login", "--device");

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
        assertThat(result.err()).contains("The device code expired");
        assertThat(cli.store().load()).isEmpty();
    }

    @Test
    void aDeniedLoginEndsIt() {
        tokenAnswers.add("access_denied");

        assertThat(cli.run("login", "--device").exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
    }

    @Test
    void stopsPollingWhenTheCodeRunsOutEvenIfStillPending() {
        for (int i = 0; i < 200; i++) {
            tokenAnswers.add("authorization_pending");
        }

        CliRunner.Result result = cli.run("login", "--device");

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
        assertThat(gateway.requestsTo(TOKEN_PATH)).hasSize(120); // 600 s / 5 s
    }

    @Test
    void withJsonOutputTheInstructionsGoToStderr() {
        CliRunner.Result result = cli.run("login", "--device", "--output", "json");

        assertThat(result.exit()).isZero();
        assertThat(result.err()).contains("WXYZ-1234");
        assertThat(result.out().lines()).singleElement().asString().startsWith("{\"user\":\"alice-researcher\"");
    }
}
