package dev.seedloop.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import dev.seedloop.cli.client.Sleeper;

/**
 * Everything {@code seedloop} takes from its surroundings, so tests (and the system tests) can run it in
 * process with their own streams, environment, terminal and time.
 *
 * @param env           environment variables ({@code SEEDLOOP_GATEWAY}, {@code SEEDLOOP_CONFIG_DIR},
 *                      {@code XDG_CONFIG_HOME})
 * @param streamGiveUp  how long {@code study watch} / {@code events --follow} keep trying to reconnect
 */
public record CliEnvironment(PrintStream out, PrintStream err, InputStream in, Map<String, String> env,
                             Terminal terminal, Clock clock, Sleeper sleeper, HttpClient http,
                             Duration streamGiveUp) {

    public static final Duration DEFAULT_STREAM_GIVE_UP = Duration.ofSeconds(60);

    /** The real process: System streams and environment, the console, the wall clock. */
    public static CliEnvironment system() {
        return new CliEnvironment(System.out, System.err, System.in, System.getenv(), Terminal.system(),
                Clock.systemUTC(), Sleeper.SYSTEM, defaultHttpClient(), DEFAULT_STREAM_GIVE_UP);
    }

    /**
     * HTTP/1.1: server-sent events are a long HTTP/1.1 response, and a cleartext HTTP/2 upgrade attempt
     * buys nothing for a CLI.
     */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public CliEnvironment withOut(PrintStream other) {
        return new CliEnvironment(other, err, in, env, terminal, clock, sleeper, http, streamGiveUp);
    }

    public CliEnvironment withErr(PrintStream other) {
        return new CliEnvironment(out, other, in, env, terminal, clock, sleeper, http, streamGiveUp);
    }

    public CliEnvironment withIn(InputStream other) {
        return new CliEnvironment(out, err, other, env, terminal, clock, sleeper, http, streamGiveUp);
    }

    public CliEnvironment withEnv(Map<String, String> other) {
        return new CliEnvironment(out, err, in, Map.copyOf(other), terminal, clock, sleeper, http, streamGiveUp);
    }

    public CliEnvironment withTerminal(Terminal other) {
        return new CliEnvironment(out, err, in, env, other, clock, sleeper, http, streamGiveUp);
    }

    public CliEnvironment withTime(Clock otherClock, Sleeper otherSleeper) {
        return new CliEnvironment(out, err, in, env, terminal, otherClock, otherSleeper, http, streamGiveUp);
    }

    public CliEnvironment withStreamGiveUp(Duration other) {
        return new CliEnvironment(out, err, in, env, terminal, clock, sleeper, http, other);
    }
}
