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
import java.util.List;
import java.util.Map;

/**
 * Starts a packaged service as a child JVM and waits for its readiness check: shared by the local
 * stack and the system tests, which run the same jars the same way.
 */
public final class ServiceLauncher {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceLauncher() {
    }

    /**
     * @param jar  the service's {@code target/quarkus-app/quarkus-run.jar}
     * @param port its HTTP port (set through {@code QUARKUS_HTTP_PORT})
     * @param env  more environment (Kafka, datasource, settings)
     * @param log  where stdout and stderr go (appended)
     */
    public static Process start(Path jar, int port, Map<String, String> env, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw package -DskipTests)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        // Small heaps and C1 only: five services and a broker share two cores with the experiments.
        List<String> command = List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString());
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(jar.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        return builder.start();
    }

    public static String readinessUrl(int port) {
        return "http://127.0.0.1:" + port + "/q/health/ready";
    }

    /** Waits until the service answers its readiness check with 200; fails fast if it exits. */
    public static void awaitReady(String name, Process process, int port, Duration timeout, Path log)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest request = HttpRequest.newBuilder(URI.create(readinessUrl(port)))
                .timeout(Duration.ofSeconds(3)).GET().build();
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
