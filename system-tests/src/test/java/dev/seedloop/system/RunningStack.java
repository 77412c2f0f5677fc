package dev.seedloop.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.seedloop.infra.FreePorts;
import dev.seedloop.infra.PostgresServer;
import dev.seedloop.stack.ServiceLauncher;
import dev.seedloop.stack.StackLayout;
import dev.seedloop.testsupport.ScriptedChatServer;
import dev.seedloop.testsupport.SharedInfrastructure;

/**
 * The five packaged services on the shared test broker and PostgreSQL, on free ports, started once per
 * test JVM and stopped at exit. Logs go to {@code target/system-logs/}. Each listens on 127.0.0.1 only and is
 * waited for on its health check: the learner's is on its management interface, on a port of its own.
 *
 * <p>The proposer's one language model, {@value #MODEL}, is a {@link ScriptedChatServer} started with the stack (an
 * OpenAI-compatible server on a free port; a test scripts its answers with {@link #model()}), priced at
 * {@value #PRICE_IN_PER_MILLION} / {@value #PRICE_OUT_PER_MILLION} US dollars per million prompt / answer tokens.
 */
final class RunningStack {

    static final String DATABASE = "seedloop_system";
    /** The configured model's name, as studies and events name it. */
    static final String MODEL = "scripted";
    static final double PRICE_IN_PER_MILLION = 0.5;
    static final double PRICE_OUT_PER_MILLION = 1.5;
    private static final List<String> MODULES = List.of("learner-service", "proposer-service", "implementer-service",
            "evaluator-service", "gateway");
    private static RunningStack instance;

    final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Management interfaces (health checks, operator endpoints), by module; only the learner has one. */
    final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final List<Process> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ScriptedChatServer model = ScriptedChatServer.start();
    private final Path root = Path.of("").toAbsolutePath().getParent();
    private final Path logs = Path.of("target/system-logs").toAbsolutePath();
    /** Every service's environment: the shared infrastructure, the database roles, Keycloak. */
    private final Map<String, String> env = new HashMap<>();

    static synchronized RunningStack get() throws Exception {
        if (instance == null) {
            RunningStack stack = new RunningStack();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "system-stack-stop"));
            stack.start();
            instance = stack;
        }
        return instance;
    }

    /** The proposer's language model: script its answers, count its requests. */
    ScriptedChatServer model() {
        return model;
    }

    int port(String module) {
        return ports.get(module);
    }

    /** Where the module's readiness is checked: its management port when it has one, its HTTP port otherwise. */
    int healthPort(String module) {
        return managementPorts.getOrDefault(module, ports.get(module));
    }

    private void start() throws Exception {
        Files.createDirectories(logs);
        PostgresServer postgres = SharedInfrastructure.postgres();
        postgres.createDatabaseIfMissing(DATABASE);
        env.put("KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(DATABASE));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(DATABASE));
        // The learner runs as the application role; Flyway migrates as the owner role (ADR 0016).
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.application().name());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.application().password());
        env.put("QUARKUS_FLYWAY_USERNAME", postgres.owner().name());
        env.put("QUARKUS_FLYWAY_PASSWORD", postgres.owner().password());
        env.put("SEEDLOOP_IMPLEMENTER_DATA_DIR",
                StackLayout.sandboxReachable(Path.of("target/system-data/implementer")).toString());
        env.put("QUARKUS_OIDC_AUTH_SERVER_URL", SharedInfrastructure.keycloak().issuer());
        // Streams of ended studies close at the first quiet heartbeat: keep the tests short.
        env.put("SEEDLOOP_GATEWAY_STREAM_HEARTBEAT", "2s");
        for (String module : MODULES) {
            ports.put(module, FreePorts.pick());
            if (module.equals("learner-service")) {
                managementPorts.put(module, FreePorts.pick());
            }
            processes.add(launch(module));
        }
        for (int i = 0; i < MODULES.size(); i++) {
            awaitReady(MODULES.get(i));
        }
    }

    /**
     * Kills the module's process with SIGKILL (no shutdown hook, no consumer leaving its group, no transaction
     * finished) and starts it again on the same ports; returns once it is ready.
     */
    synchronized void killAndRestart(String module) throws Exception {
        int index = MODULES.indexOf(module);
        Process dead = processes.get(index);
        dead.destroyForcibly();
        dead.waitFor();
        processes.set(index, launch(module));
        awaitReady(module);
    }

    private Process launch(String module) throws Exception {
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the service first");
        }
        // System properties, not environment variables: a model's name is a map key of seedloop.models.
        List<String> java = new ArrayList<>(module.equals("proposer-service") ? modelProperties() : List.of());
        java.addAll(ServiceLauncher.packagedJar(jar));
        return ServiceLauncher.start(java, jar.getParent(), ports.get(module), managementPorts.getOrDefault(module, 0),
                env, logs.resolve(module + ".log"));
    }

    private void awaitReady(String module) throws InterruptedException {
        ServiceLauncher.awaitReady(module, processes.get(MODULES.indexOf(module)), healthPort(module),
                Duration.ofSeconds(120), logs.resolve(module + ".log"));
    }

    private List<String> modelProperties() {
        String prefix = "-Dseedloop.models." + MODEL + ".";
        return List.of(prefix + "base-url=" + model.baseUrl(), prefix + "model-id=scripted-coder",
                prefix + "price-input-per-million-tokens=" + PRICE_IN_PER_MILLION,
                prefix + "price-output-per-million-tokens=" + PRICE_OUT_PER_MILLION,
                // A scripted answer comes at once or never: fail fast instead of waiting out retries.
                "-Dseedloop.model-client.max-attempts=2", "-Dseedloop.model-client.timeout=20s");
    }

    private void stop() {
        model.close();
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }
}
