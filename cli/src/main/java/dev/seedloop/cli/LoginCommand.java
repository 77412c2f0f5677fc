package dev.seedloop.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.seedloop.cli.auth.Credentials;
import dev.seedloop.cli.auth.DeviceAuthorization;
import dev.seedloop.cli.auth.DeviceLogin;
import dev.seedloop.cli.auth.Login;
import dev.seedloop.cli.auth.TokenStore;
import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seedloop login}: tokens from the gateway's identity provider, kept in {@code credentials.json}. */
@Command(description = {"Log in through the gateway's identity provider (Keycloak) and keep the tokens in "
        + "credentials.json (mode 600) in $SEEDLOOP_CONFIG_DIR (default ${XDG_CONFIG_HOME:-~/.config}/seedloop); "
        + "they are renewed automatically.",
        "Password login asks on the terminal unless --password-stdin; --device prints a URL and a code to "
                + "approve in a browser (no password through the CLI)."})
final class LoginCommand implements Callable<Integer> {

    private final Cli cli;

    @Option(names = "--user", paramLabel = "NAME", description = "User name (asked on the terminal when missing).")
    String user;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Option(names = "--device", description = "Use the OAuth 2.0 device authorization grant (log in in a browser).")
    boolean device;

    LoginCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        if (device && (user != null || passwordStdin)) {
            throw new CliException(ExitCode.USAGE, "--device logs in whoever approves it in the browser: "
                    + "leave out --user and --password-stdin.");
        }
        if (passwordStdin && user == null) {
            throw new CliException(ExitCode.USAGE, "--password-stdin needs --user.");
        }
        Login login = new Login(cli.anonymousGateway(), cli.oidc(), cli.env.clock());
        Login.Discovery discovery = login.discover();
        Credentials credentials;
        if (device) {
            DeviceLogin polling = new DeviceLogin(cli.oidc(), cli.env.clock(), cli.env.sleeper());
            credentials = login.withDevice(discovery, polling, this::showDeviceInstructions);
        } else {
            String name = user != null ? user : cli.env.terminal().readLine("User: ");
            char[] password = passwordStdin ? readPasswordLine() : cli.env.terminal().readPassword("Password for "
                    + name + ": ");
            try {
                credentials = login.withPassword(discovery, name, password);
            } finally {
                java.util.Arrays.fill(password, '\0');
            }
        }
        TokenStore store = cli.store();
        store.save(credentials);
        if (cli.json()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("user", credentials.user());
            summary.put("team", credentials.team());
            summary.put("gateway", credentials.gateway());
            summary.put("issuer", credentials.issuer());
            summary.put("accessTokenExpiresAt", credentials.accessTokenExpiresAt());
            summary.put("refreshTokenExpiresAt", credentials.refreshTokenExpiresAt());
            summary.put("credentials", store.file().toString());
            cli.out().println(Json.write(summary));
        } else {
            cli.out().println("Logged in as " + credentials.user()
                    + (credentials.team() == null ? "" : " (team " + credentials.team() + ")")
                    + " at " + credentials.gateway() + ".");
            cli.out().println("Tokens saved in " + store.file() + "; renewed automatically"
                    + (credentials.refreshTokenExpiresAt() == null ? "." : " until "
                    + credentials.refreshTokenExpiresAt().truncatedTo(ChronoUnit.SECONDS) + " (then log in again)."));
        }
        return ExitCode.OK;
    }

    private void showDeviceInstructions(DeviceAuthorization authorization) {
        // With --output json, stdout is for the JSON answer alone.
        PrintStream to = cli.json() ? cli.env.err() : cli.out();
        to.println("To log in, open " + authorization.verificationUri() + " and enter the code "
                + authorization.userCode());
        if (authorization.verificationUriComplete() != null) {
            to.println("  (or open " + authorization.verificationUriComplete() + ")");
        }
        to.println("Waiting for the login to be approved ...");
        to.flush();
    }

    private char[] readPasswordLine() {
        try {
            String line = new BufferedReader(new InputStreamReader(cli.env.in(), StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CliException(ExitCode.USAGE, "--password-stdin: standard input held no password.");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new CliException(ExitCode.UNEXPECTED, "Cannot read the password from standard input", e);
        }
    }
}
