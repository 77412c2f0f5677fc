package dev.seedloop.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.seedloop.cli.auth.Credentials;
import dev.seedloop.cli.auth.TokenStore;
import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;

/** Runs {@code seedloop} in process against a {@link FakeGateway}, with its own home, streams and time. */
final class CliRunner {

    static final Instant START = Instant.parse("2026-11-28T12:00:00Z");

    /** One run's exit code and output. */
    record Result(int exit, String out, String err) {
    }

    final Path home;
    final FakeGateway gateway;
    final ManualTime time = new ManualTime(START);
    final Map<String, String> env = new HashMap<>();
    String stdin = "";
    Terminal terminal = new ScriptedTerminal(null, null);

    CliRunner(Path home, FakeGateway gateway) {
        this.home = home;
        this.gateway = gateway;
        env.put("SEEDLOOP_CONFIG_DIR", home.toString());
        // The local stack's data directory: set as a user running the stack has it; the CLI must keep out of it.
        env.put("SEEDLOOP_HOME", home.resolve("stack-data").toString());
        env.put("SEEDLOOP_GATEWAY", gateway.url());
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment environment = CliEnvironment.system()
                .withOut(new PrintStream(out, true, StandardCharsets.UTF_8))
                .withErr(new PrintStream(err, true, StandardCharsets.UTF_8))
                .withIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
                .withEnv(env)
                .withTerminal(terminal)
                .withTime(time, time)
                .withStreamGiveUp(Duration.ofSeconds(30));
        int exit = SeedloopCli.run(environment, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    TokenStore store() {
        return new TokenStore(home);
    }

    /** Saves credentials for {@code alice} of {@code team-a} whose access token expires at {@code expiresAt}. */
    Credentials loggedIn(String accessToken, Instant expiresAt) {
        Credentials credentials = new Credentials(gateway.url(), gateway.issuer(), "seedloop-cli",
                gateway.tokenEndpoint(), "alice", "team-a", accessToken, expiresAt, "refresh-1",
                START.plus(Duration.ofHours(1)));
        store().save(credentials);
        return credentials;
    }

    Credentials loggedIn() {
        return loggedIn(Jwts.token("alice", "team-a"), START.plus(Duration.ofMinutes(15)));
    }

    /** A terminal with canned answers; null answers mean "no console". */
    record ScriptedTerminal(String user, String password) implements Terminal {
        @Override
        public boolean interactive() {
            return false;
        }

        @Override
        public String readLine(String prompt) {
            if (user == null) {
                throw new CliException(ExitCode.USAGE, "no terminal");
            }
            return user;
        }

        @Override
        public char[] readPassword(String prompt) {
            if (password == null) {
                throw new CliException(ExitCode.USAGE, "no terminal");
            }
            return password.toCharArray();
        }
    }
}
