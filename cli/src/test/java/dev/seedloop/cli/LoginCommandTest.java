package dev.seedloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.cli.auth.Credentials;
import dev.seedloop.cli.client.ExitCode;

class LoginCommandTest extends CliTestBase {

    private static final String TOKEN_PATH = "/realms/seedloop/protocol/openid-connect/token";
    private static final String ACCESS = Jwts.token("alice-researcher", "team-a");

    LoginCommandTest() {
        super(Start.LOGGED_OUT);
    }

    @BeforeEach
    void tokenEndpoint() {
        gateway.json("POST", TOKEN_PATH, 200, Jwts.tokenResponse(ACCESS, "refresh-1", 900));
    }

    @Test
    void passwordFromStdinDiscoversTheIssuerThroughTheGatewayAndSavesTheTokens() throws Exception {
        cli.stdin = "s3cret&more\n";

        CliRunner.Result result = cli.run("login", "--user", "alice-researcher", "--password-stdin");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Logged in as alice-researcher (team team-a) at " + gateway.url() + ".");
        assertThat(gateway.requests).extracting(FakeGateway.Request::path).containsExactly("/api/v1/auth",
                "/realms/seedloop/.well-known/openid-configuration", TOKEN_PATH);
        assertThat(gateway.requestsTo(TOKEN_PATH).getFirst().body()).isEqualTo("grant_type=password"
                + "&client_id=seedloop-cli&username=alice-researcher&password=s3cret%26more&scope=openid");
        Credentials saved = cli.store().load().orElseThrow();
        assertThat(saved).isEqualTo(new Credentials(gateway.url(), gateway.issuer(), "seedloop-cli",
                gateway.tokenEndpoint(), "alice-researcher", "team-a", ACCESS, CliRunner.START.plusSeconds(900),
                "refresh-1", CliRunner.START.plusSeconds(1800)));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.store().file())))
                .isEqualTo("rw-------");
    }

    @Test
    void credentialsGoToTheConfigDirectoryNeverToTheStacksHome() {
        Path stack = Path.of(cli.env.get("SEEDLOOP_HOME"));
        cli.stdin = "pw\n";

        assertThat(cli.run("login", "--user", "alice-researcher", "--password-stdin").exit()).isZero();

        assertThat(home.resolve("credentials.json")).isRegularFile();
        assertThat(stack).doesNotExist();

        // Without SEEDLOOP_CONFIG_DIR: the XDG base directory, still not the stack's.
        cli.env.remove("SEEDLOOP_CONFIG_DIR");
        cli.env.put("XDG_CONFIG_HOME", home.resolve("xdg").toString());
        cli.stdin = "pw\n";
        CliRunner.Result result = cli.run("login", "--user", "alice-researcher", "--password-stdin");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(home.resolve("xdg/seedloop/credentials.json")).isRegularFile();
        assertThat(stack).doesNotExist();
        assertThat(cli.run("logout").out()).contains(home.resolve("xdg/seedloop/credentials.json").toString());
    }

    @Test
    void tokensWhereAnOlderCliKeptThemAreNotReadButNamed() throws Exception {
        Path former = Files.createDirectories(Path.of(cli.env.get("SEEDLOOP_HOME"))).resolve("credentials.json");
        Files.writeString(former, "{}");

        CliRunner.Result result = cli.run("study", "list");

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
        assertThat(result.err()).contains("Not logged in").contains(former + " is no longer read");
    }

    @Test
    void asksOnTheTerminalWhenNoFlagsAreGiven() {
        cli.terminal = new CliRunner.ScriptedTerminal("alice-researcher", "pw");

        assertThat(cli.run("login").exit()).isZero();
        assertThat(gateway.requestsTo(TOKEN_PATH).getFirst().body()).contains("username=alice-researcher&password=pw");
    }

    @Test
    void withoutATerminalItSaysWhichFlagsToUse() {
        CliRunner.Result result = cli.run("login");

        assertThat(result.exit()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aWrongPasswordIsRefusedWithKeycloaksWords() {
        gateway.json("POST", TOKEN_PATH, 401, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}");
        cli.stdin = "wrong\n";

        CliRunner.Result result = cli.run("login", "--user", "alice-researcher", "--password-stdin");

        assertThat(result.exit()).isEqualTo(ExitCode.NOT_LOGGED_IN);
        assertThat(result.err()).isEqualTo("seedloop: Login refused: Invalid user credentials (invalid_grant)"
                + System.lineSeparator());
        assertThat(cli.store().load()).isEmpty();
    }

    @Test
    void laterCommandsUseTheGatewayLoggedInTo() {
        cli.stdin = "pw\n";
        assertThat(cli.run("login", "--user", "alice-researcher", "--password-stdin").exit()).isZero();
        cli.env.remove("SEEDLOOP_GATEWAY");
        gateway.json("GET", Fixtures.STUDY_PATH, 200, Fixtures.studyView("running", 1));

        assertThat(cli.run("study", "get", Fixtures.STUDY).exit()).isZero();
    }

    @Test
    void logoutDeletesTheCredentials() {
        cli.loggedIn();

        assertThat(cli.run("logout").out()).startsWith("Logged out");
        assertThat(cli.store().file()).doesNotExist();
        CliRunner.Result again = cli.run("logout");
        assertThat(again.exit()).isZero();
        assertThat(again.out()).isEqualTo("Not logged in." + System.lineSeparator());
    }

    @Test
    void deviceAndPasswordFlagsDoNotMix() {
        assertThat(cli.run("login", "--device", "--user", "x").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("login", "--password-stdin").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(gateway.requests).isEmpty();
    }
}
