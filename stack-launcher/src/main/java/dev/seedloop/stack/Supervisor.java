package dev.seedloop.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

import dev.seedloop.infra.KafkaBroker;
import dev.seedloop.infra.KeycloakServer;
import dev.seedloop.infra.PostgresServer;

/**
 * The background process that owns the local stack: it starts Keycloak, PostgreSQL, the Kafka broker and
 * the services as its children, reports readiness through a file, and on SIGTERM stops them all in
 * reverse order. One owner means `down` has exactly one process to signal and nothing is left behind.
 */
public final class Supervisor {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(180);

    private final StackLayout layout;
    private final List<Process> services = new ArrayList<>();
    private PostgresServer postgres;
    private KafkaBroker kafka;
    private KeycloakServer keycloak;

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
        // Keycloak takes longest (7-30 s) and needs nothing else: it starts beside the rest, and only the
        // services that validate tokens wait for it.
        log("starting Keycloak on port " + StackLayout.KEYCLOAK_PORT);
        Path realm = KeycloakServer.findRealmFile();
        CompletableFuture<KeycloakServer> keycloakStart = CompletableFuture.supplyAsync(
                () -> KeycloakServer.start(layout.keycloakData(), StackLayout.KEYCLOAK_PORT, realm));
        log("starting PostgreSQL on port " + StackLayout.POSTGRES_PORT);
        postgres = PostgresServer.start(layout.postgresData(), StackLayout.POSTGRES_PORT);
        postgres.createDatabaseIfMissing(StackLayout.DATABASE);
        log("starting Kafka on port " + StackLayout.KAFKA_PORT);
        kafka = KafkaBroker.start(layout.kafkaData(), StackLayout.KAFKA_PORT);
        recordChild(kafka.pid());
        for (StackLayout.ServiceSpec service : StackLayout.SERVICES) {
            if (service.needsKeycloak() && keycloak == null) {
                keycloak = awaitKeycloak(keycloakStart);
            }
            services.add(startService(service));
        }
        if (keycloak == null) {
            keycloak = awaitKeycloak(keycloakStart);
        }
        for (int i = 0; i < services.size(); i++) {
            StackLayout.ServiceSpec service = StackLayout.SERVICES.get(i);
            ServiceLauncher.awaitReady(service.module(), services.get(i), service.port(), HEALTH_TIMEOUT,
                    serviceLog(service));
            log(service.module() + " is ready");
        }
    }

    private KeycloakServer awaitKeycloak(CompletableFuture<KeycloakServer> start) throws Exception {
        KeycloakServer server;
        try {
            server = start.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        recordChild(server.pid());
        log("Keycloak is ready (issuer " + server.issuer() + ", log " + layout.keycloakData().resolve("keycloak.log")
                + ")");
        return server;
    }

    private Process startService(StackLayout.ServiceSpec service) throws IOException {
        Process process = ServiceLauncher.start(layout.serviceJar(service), service.port(), serviceEnvironment(service),
                serviceLog(service));
        recordChild(process.pid());
        log("started " + service.module() + " (pid " + process.pid() + ") on port " + service.port());
        return process;
    }

    private Path serviceLog(StackLayout.ServiceSpec service) {
        return layout.logs().resolve(service.module() + ".log");
    }

    private Map<String, String> serviceEnvironment(StackLayout.ServiceSpec service) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        if (service.needsKeycloak()) {
            env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.issuer());
            env.put("QUARKUS_OIDC_CLIENT_ID", StackLayout.GATEWAY_CLIENT_ID);
        }
        if (service.needsDatabase()) {
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(StackLayout.DATABASE));
            env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(StackLayout.DATABASE));
            // The service runs as the application role; Flyway migrates as the owner role (ADR 0016).
            env.put("QUARKUS_DATASOURCE_USERNAME", postgres.application().name());
            env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.application().password());
            env.put("QUARKUS_FLYWAY_USERNAME", postgres.owner().name());
            env.put("QUARKUS_FLYWAY_PASSWORD", postgres.owner().password());
        }
        return env;
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
        closeQuietly(keycloak);
        keycloak = null;
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
