package dev.seedloop.stack;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.seedloop.cli.CliEnvironment;
import dev.seedloop.cli.auth.Credentials;
import dev.seedloop.cli.auth.Login;
import dev.seedloop.cli.auth.OidcClient;
import dev.seedloop.cli.auth.Session;
import dev.seedloop.cli.client.ApiException;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.TokenSource;

/**
 * The local stack for a command that drives it through the gateway ({@code demo}, {@code bench platform},
 * {@code bench load}): started and waited for unless it is up already, stopped on {@link #close()} only when this
 * started it; and gateway clients logged in as realm users with the password grant, their tokens kept in memory (a
 * command must not replace the credentials of whoever runs it) and renewed as they expire.
 */
public final class LocalStack implements AutoCloseable {

    private static final Path BWRAP = Path.of("/usr/bin/bwrap");
    private static final Duration LEARNER_WAIT = Duration.ofSeconds(60);

    private final StackLayout layout;
    private final boolean startedHere;
    private boolean keep;
    private final boolean sandboxed;
    private final long openedAt;
    private final double readySeconds;

    private LocalStack(StackLayout layout, boolean startedHere, boolean sandboxed, long openedAt) {
        this.layout = layout;
        this.startedHere = startedHere;
        this.sandboxed = sandboxed;
        this.openedAt = openedAt;
        this.readySeconds = (System.nanoTime() - openedAt) / 1e9;
    }

    /**
     * The layout {@code ./seedloop} describes with {@code -Dseedloop.root} (the checkout) and
     * {@code -Dseedloop.distribution}; empty (with the reason on stderr) when it was run otherwise.
     */
    public static Optional<StackLayout> fromSystemProperties() {
        Path root = Path.of(System.getProperty("seedloop.root", ".")).toAbsolutePath().normalize();
        String distribution = System.getProperty("seedloop.distribution");
        if (distribution == null || distribution.isBlank()) {
            System.err.println("-Dseedloop.distribution is not set: run this through ./seedloop");
            return Optional.empty();
        }
        return Optional.of(StackLayout.of(root, Path.of(distribution)));
    }

    /**
     * The stack, up: an already whole one as it is, one still starting waited for, none started (with its
     * progress on stdout). Without bubblewrap, experiments run with the plain process runner when
     * {@code unsandboxedAllowed} (trusted code only; said on stdout), and nothing starts otherwise.
     *
     * @return empty when the stack could not be had (the reason is printed)
     */
    public static Optional<LocalStack> open(StackLayout layout, boolean unsandboxedAllowed) throws Exception {
        long started = System.nanoTime();
        boolean sandboxed = Files.isExecutable(BWRAP);
        if (!sandboxed && !unsandboxedAllowed) {
            System.err.println("bubblewrap (bwrap) is not installed, and this runs experiments only in the sandbox: "
                    + "sudo apt-get install bubblewrap");
            return Optional.empty();
        }
        if (!sandboxed) {
            System.out.println("""
                    bubblewrap (bwrap) is not installed, so experiments cannot run in the sandbox.
                    This example is trusted code, so it runs them with the plain process runner instead.
                    For untrusted experiments install it first:  sudo apt-get install bubblewrap
                    """);
        }
        // A stack someone else started stays up afterwards; one that is not whole yet is waited for.
        boolean startedHere = !SeedloopLauncher.isRunning(layout);
        if (!SeedloopLauncher.isUp(layout)) {
            int up = SeedloopLauncher.up(layout, Map.of("SEEDLOOP_IMPLEMENTER_ALLOW_UNSANDBOXED",
                    Boolean.toString(!sandboxed)));
            if (up != 0) {
                return Optional.empty();
            }
        }
        return Optional.of(new LocalStack(layout, startedHere, sandboxed, started));
    }

    public StackLayout layout() {
        return layout;
    }

    /** Whether this started the stack (and so stops it on close). */
    public boolean startedHere() {
        return startedHere;
    }

    public boolean sandboxed() {
        return sandboxed;
    }

    /** Seconds from {@link #open} until the stack was whole. */
    public double readySeconds() {
        return readySeconds;
    }

    /** Seconds since {@link #open} was called. */
    public double secondsSinceOpened() {
        return (System.nanoTime() - openedAt) / 1e9;
    }

    /** A gateway client logged in as a realm user (password grant), once the learner answers reads. */
    public LoggedIn login(String user, String password) throws InterruptedException {
        LoggedIn login = logIn(user, password);
        awaitLearnerAnswers(login.gateway(), LEARNER_WAIT);
        return login;
    }

    /**
     * A gateway client of the local stack's gateway logged in as a realm user (password grant), whatever started that
     * stack; the tokens stay in memory, so whoever runs this keeps their own credentials.
     */
    static LoggedIn logIn(String user, String password) {
        HttpClient http = CliEnvironment.defaultHttpClient();
        OidcClient oidc = new OidcClient(http);
        GatewayClient anonymous = new GatewayClient(http, "http://127.0.0.1:" + StackLayout.GATEWAY_PORT,
                TokenSource.NONE);
        Login login = new Login(anonymous, oidc, Clock.systemUTC());
        Login.Discovery discovery = login.discover();
        Credentials credentials = login.withPassword(discovery, user, password.toCharArray());
        GatewayClient gateway = anonymous.withTokens(new Session(credentials, oidc, Clock.systemUTC(), renewed -> {
        }));
        return new LoggedIn(gateway, credentials.user(), credentials.team(), discovery.auth().issuer());
    }

    /** A logged-in client and who it is. */
    public record LoggedIn(GatewayClient gateway, String user, String team, String issuer) {
    }

    /**
     * Right after startup (or a restart of the learner or the broker) the learner may not have joined its query
     * consumer group yet, and the gateway answers reads (and the quota check of a creation) with 503 until it has. A
     * harmless read is retried until it answers, so what follows (a study's creation) happens exactly once.
     */
    static void awaitLearnerAnswers(GatewayClient gateway, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                gateway.studies(null, 0, 1);
                return;
            } catch (ApiException e) {
                if (e.status() != 503 || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(1000);
        }
    }

    public boolean kept() {
        return keep;
    }

    /** Leaves the stack running on close even if this started it (the demo's {@code --keep}). */
    public void keepRunning() {
        keep = true;
    }

    @Override
    public void close() throws Exception {
        if (startedHere && !keep) {
            SeedloopLauncher.down(layout);
        }
    }
}
