package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.cli.auth.Credentials;
import dev.seedloop.cli.client.ExitCode;

class TokenRefreshTest extends CliTestBase {

    private static final String TOKEN_PATH = "/realms/seedloop/protocol/openid-connect/token";
    private static final String FRESH = Jwts.token("alice", "team-a") + "fresh";

    TokenRefreshTest() {
        super(Start.LOGGED_OUT);
    }

    @BeforeEach
    void routes() {
        gateway.json("POST", TOKEN_PATH, 200, Jwts.tokenResponse(FRESH, "refresh-2", 300));
        // The gateway accepts only the fresh token.
        gateway.route("GET", Fixtures.STUDY_PATH, (request, exchange) -> FakeGateway.respond(exchange,
                ("Bearer " + FRESH).equals(request.header("Authorization")) ? 200 : 401,
                ("Bearer " + FRESH).equals(request.header("Authorization")) ? Fixtures.studyView("running", 1) : "",
                Map.of()));
    }

    @Test
    void anExpiredAccessTokenIsRenewedWithTheRefreshTokenAndSaved() {
        cli.loggedIn("stale", CliRunner.START.minusSeconds(60));

        CliRunner.Result result = cli.run("study", "get", Fixtures.STUDY);

        assertThat(result.exit()).as(result.err()).isZero();
        var refresh = gateway.requestsTo(TOKEN_PATH);
        assertThat(refresh).hasSize(1);
        assertThat(refresh.getFirst().body()).isEqualTo("grant_type=refresh_token&client_id=seedloop-cli"
                + "&refresh_token=refresh-1");
        Credentials saved = cli.store().load().orElseThrow();
        assertThat(saved.accessToken()).isEqualTo(FRESH);
        assertThat(saved.refreshToken()).isEqualTo("refresh-2");
        assertThat(saved.accessTokenExpiresAt()).isEqualTo(CliRunner.START.plusSeconds(300));
        assertThat(saved.refreshTokenExpiresAt()).isEqualTo(CliRunner.START.plusSeconds(1800));
    }

    @Test
    void aTokenAboutToExpireIsRenewedBeforeTheCall() {
        cli.loggedIn("stale", CliRunner.START.plusSeconds(10));

        assertThat(cli.run("study", "get", Fixtures.STUDY).exit()).isZero();
        assertThat(gateway.requestsTo(TOKEN_PATH)).hasSize(1);
        assertThat(gateway.requestsTo(Fixtures.STUDY_PATH)).hasSize(1);
    }

    @Test
    void aValidTokenIsUsedAsItIs() {
        cli.loggedIn(FRESH, CliRunner.START.plus(Duration.ofMinutes(10)));

        assertThat(cli.run("study", "get", Fixtures.STUDY).exit()).isZero();
        assertThat(gateway.requestsTo(TOKEN_PATH)).isEmpty();
    }

    @Test
    void aTokenTheGatewayRejectsIsRenewedAndTheCallRepeatedOnce() {
        cli.loggedIn("revoked", CliRunner.START.plus(Duration.ofMinutes(10)));

        CliRunner.Result result = cli.run("study", "get", Fixtures.STUDY);

        assertThat(result.exit()).isZero();
        assertThat(gateway.requestsTo(Fixtures.STUDY_PATH)).hasSize(2);
        assertThat(gateway.requestsTo(TOKEN_PATH)).hasSize(1);
    }

    @Test
    void aRefusedRefreshMeansLoggingInAgain() {
        gateway.json("POST", TOKEN_PATH, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Session not active\"}");
        cli.loggedIn("stale", CliRunner.START.minusSeconds(60));

        CliRunner.Result result = cli.run("study", "get", Fixtures.STUDY);

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
        assertThat(result.err()).contains("Your session has ended (invalid_grant): log in again with `seedloop login`.");
        assertThat(gateway.requestsTo(Fixtures.STUDY_PATH)).isEmpty();
    }

    @Test
    void anExpiredRefreshTokenIsNotEvenTried() {
        cli.loggedIn("stale", CliRunner.START.minusSeconds(60));
        cli.time.advance(Duration.ofHours(2));

        CliRunner.Result result = cli.run("study", "get", Fixtures.STUDY);

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
        assertThat(result.err()).contains("Your session has expired");
        assertThat(gateway.requests).isEmpty();
    }
}
