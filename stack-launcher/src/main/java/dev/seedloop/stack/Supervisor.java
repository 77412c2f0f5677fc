package dev.seedloop.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.seedloop.infra.KafkaBroker;
import dev.seedloop.infra.PostgresServer;

/**
 * The background process that owns the local stack: it starts PostgreSQL, the Kafka broker and the
 * services as its children, reports readiness through a file, and on SIGTERM stops them all in
 * reverse order. One owner means `down` has exactly one process to signal and nothing is left behind.
 */
public final class Supervisor {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(180);

    private final StackLayout layout;
    private final List<Process> services = new ArrayList<>();
    private PostgresServer postgres;
    private KafkaBroker kafka;

    Supervisor(StackLayout layout) {
        this.layout = layout;
    }

    void run() throws Exception {
        Files.createDirectories(layout.run());
        Files.createDirectories(layout.logs());
        Files.writeString(layout.supervisorPidFile(), Long.toString(ProcessHandle.current().pid()));
        Files.deleteIfExists(layout.readyFile());
        Files.deleteIfExists(layout.childPidsFile());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll();
            stopped.countDown();
        }, "seedloop-stack-shutdown"));
        try {
            startAll();
        } catch (Exception e) {
            log("start failed: " + e.getMessage());
            e.printStackTrace(System.out);
            System.exit(1);
        }
        Files.writeString(layout.readyFile(), Instant.now().toString());
        log("stack ready");
        stopped.await();
    }

    private void startAll() throws Exception {
        log("starting PostgreSQL on port " + StackLayout.POSTGRES_PORT);
        postgres = PostgresServer.start(layout.postgresData(), StackLayout.POSTGRES_PORT);
        postgres.createDatabaseIfMissing(StackLayout.DATABASE);
        log("starting Kafka on port " + StackLayout.KAFKA_PORT);
        kafka = KafkaBroker.start(layout.kafkaData(), StackLayout.KAFKA_PORT);
        recordChild(kafka.pid());
        for (StackLayout.ServiceSpec service : StackLayout.SERVICES) {
            services.add(startService(service));
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < services.size(); i++) {
            awaitHealthy(http, StackLayout.SERVICES.get(i), services.get(i));
        }
    }

    private Process startService(StackLayout.ServiceSpec service) throws IOException {
        Path jar = layout.serviceJar(service);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build first (./mvnw package -DskipTests)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(layout.repositoryRoot().resolve(service.module()).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        layout.logs().resolve(service.module() + ".log").toFile()));
        builder.environment().putAll(serviceEnvironment(service));
        Process process = builder.start();
        recordChild(process.pid());
        log("started " + service.module() + " (pid " + process.pid() + ") on port " + service.port());
        return process;
    }

    private Map<String, String> serviceEnvironment(StackLayout.ServiceSpec service) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(service.port()));
        if (service.needsDatabase()) {
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(StackLayout.DATABASE));
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(StackLayout.DATABASE));
            env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        }
        return env;
    }

    private void awaitHealthy(HttpClient http, StackLayout.ServiceSpec service, Process process) throws Exception {
        Instant deadline = Instant.now().plus(HEALTH_TIMEOUT);
        HttpRequest request = HttpRequest.newBuilder(URI.create(service.healthUrl()))
                .timeout(Duration.ofSeconds(3)).GET().build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service.module() + " exited with " + process.exitValue()
                        + "; see " + layout.logs().resolve(service.module() + ".log"));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    log(service.module() + " is ready");
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(service.module() + " not ready after " + HEALTH_TIMEOUT.toSeconds()
                + " s; see " + layout.logs().resolve(service.module() + ".log"));
    }

    private synchronized void stopAll() {
        try {
            Files.deleteIfExists(layout.readyFile());
        } catch (IOException ignored) {
            // best effort: the pid file check below still tells `up` the stack is gone
        }
        for (int i = services.size() - 1; i >= 0; i--) {
            Processes.stop(services.get(i).toHandle(), Duration.ofSeconds(20));
        }
        services.clear();
        closeQuietly(kafka);
        kafka = null;
        closeQuietly(postgres);
        postgres = null;
        try {
            Files.deleteIfExists(layout.childPidsFile());
            Files.deleteIfExists(layout.supervisorPidFile());
        } catch (IOException ignored) {
            // nothing more to do while shutting down
        }
        log("stack stopped");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log("while stopping: " + e.getMessage());
        }
    }

    private void recordChild(long pid) throws IOException {
        Files.writeString(layout.childPidsFile(), pid + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static void log(String message) {
        System.out.println(Instant.now() + " supervisor: " + message);
        System.out.flush();
    }
}
