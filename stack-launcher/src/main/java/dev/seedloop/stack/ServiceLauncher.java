package dev.seedloop.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a packaged service as a child JVM and waits for its readiness check: shared by the local
 * stack and the system tests, which run the same jars the same way.
 *
 * <p>Every service listens on 127.0.0.1 only ({@code QUARKUS_HTTP_HOST}; Quarkus listens on every interface unless
 * told): the local stack is for the machine it runs on. A service with a management interface (the learner: health
 * checks and operator endpoints) gets its port and the same host, and is ready when its health there says so.
 */
public final class ServiceLauncher {

    private static final String LOOPBACK = "127.0.0.1";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceLauncher() {
    }

    /** Small heaps and C1 only: five services and a broker share two cores with the experiments. */
    public static List<String> packagedJar(Path jar) {
        return List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString());
    }

    /**
     * @param jar  a packaged service's {@code quarkus-run.jar}, run in its directory ({@link Distribution#serviceJar})
     * @param port its HTTP port (set through {@code QUARKUS_HTTP_PORT})
     * @param env  more environment (Kafka, datasource, settings)
     * @param log  where stdout and stderr go (appended)
     */
    public static Process start(Path jar, int port, Map<String, String> env, Path log) throws IOException {
        return start(jar, port, 0, env, log);
    }

    /**
     * @param managementPort its management interface ({@code QUARKUS_MANAGEMENT_PORT}), or 0 when it has none
     */
    public static Process start(Path jar, int port, int managementPort, Map<String, String> env, Path log)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service first");
        }
        return start(packagedJar(jar), jar.getParent(), port, managementPort, env, log);
    }

    /**
     * @param javaArguments  what follows {@code java}: JVM flags, then {@code -jar} and a jar or a main class
     * @param managementPort its management interface, or 0 when it has none
     */
    public static Process start(List<String> javaArguments, Path workingDirectory, int port, int managementPort,
            Map<String, String> env, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(javaArguments);
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_HOST", LOOPBACK);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // Quarkus ignores these unless the service was built with its management interface.
        builder.environment().put("QUARKUS_MANAGEMENT_HOST", LOOPBACK);
        if (managementPort > 0) {
            builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        }
        return builder.start();
    }

    /** The readiness check of a service whose health is on {@code port} (its HTTP or its management port). */
    public static String readinessUrl(int port) {
        return "http://" + LOOPBACK + ":" + port + "/q/health/ready";
    }

    /** Waits until the service answers its readiness check ({@link #readinessUrl}) with 200; fails fast if it exits. */
    public static void awaitReady(String name, Process process, int healthPort, Duration timeout, Path log)
            throws InterruptedException {
        awaitReady(name, process, URI.create(readinessUrl(healthPort)), timeout, log);
    }

    /** Waits until {@code health} answers 200; fails fast if the service exits. */
    public static void awaitReady(String name, Process process, URI health, Duration timeout, Path log)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(3)).GET().build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException(name + " not ready after " + timeout.toSeconds() + " s; see " + log);
    }
}
