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
import dev.seedloop.testsupport.SharedInfrastructure;

/**
 * The five packaged services on the shared test broker and PostgreSQL, on free ports, started once per
 * test JVM and stopped at exit. Logs go to {@code target/system-logs/}. Each listens on 127.0.0.1 only and is
 * waited for on its health check: the learner's is on its management interface, on a port of its own.
 */
final class RunningStack {

    static final String DATABASE = "seedloop_system";
    private static final List<String> MODULES = List.of("learner-service", "proposer-service", "implementer-service",
            "evaluator-service", "gateway");
    private static RunningStack instance;

    final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Management interfaces (health checks, operator endpoints), by module; only the learner has one. */
    final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final List<Process> processes = new ArrayList<>();

    static synchronized RunningStack get() throws Exception {
        if (instance == null) {
            RunningStack stack = new RunningStack();
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "system-stack-stop"));
            stack.start();
            instance = stack;
        }
        return instance;
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
            processes.add(ServiceLauncher.start(root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar"), port,
                    management, env, logs.resolve(module + ".log")));
        }
        for (int i = 0; i < MODULES.size(); i++) {
            String module = MODULES.get(i);
            ServiceLauncher.awaitReady(module, processes.get(i), healthPort(module), Duration.ofSeconds(120),
                    logs.resolve(module + ".log"));
        }
    }

    private void stop() {
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
