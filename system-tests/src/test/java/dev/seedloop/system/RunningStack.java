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
    private final List<Process> processes = new ArrayList<>();
    private final ScriptedChatServer model = ScriptedChatServer.start();

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
        Path root = Path.of("").toAbsolutePath().getParent();
        Path logs = Path.of("target/system-logs").toAbsolutePath();
        Files.createDirectories(logs);
        PostgresServer postgres = SharedInfrastructure.postgres();
        postgres.createDatabaseIfMissing(DATABASE);
        Map<String, String> env = new HashMap<>();
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
            int port = FreePorts.pick();
            ports.put(module, port);
            int management = 0;
            if (module.equals("learner-service")) {
                management = FreePorts.pick();
                managementPorts.put(module, management);
            }
            Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: package the service first");
            }
            // System properties, not environment variables: a model's name is a map key of seedloop.models.
            List<String> java = new ArrayList<>(module.equals("proposer-service") ? modelProperties() : List.of());
            java.addAll(ServiceLauncher.packagedJar(jar));
            processes.add(ServiceLauncher.start(java, jar.getParent(), port, management, env,
                    logs.resolve(module + ".log")));
        }
        for (int i = 0; i < MODULES.size(); i++) {
            String module = MODULES.get(i);
            ServiceLauncher.awaitReady(module, processes.get(i), healthPort(module), Duration.ofSeconds(120),
                    logs.resolve(module + ".log"));
        }
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
