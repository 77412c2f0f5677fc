package dev.seedloop.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the local stack keeps everything and which ports it uses. Data lives under the stack home
 * ({@code $SEEDLOOP_HOME}, default {@code .seedloop/} in the checkout) and survives {@code down}/{@code up}.
 */
public record StackLayout(Path repositoryRoot, Path home) {

    public static final int KAFKA_PORT = 9092;
    public static final int POSTGRES_PORT = 55432;
    public static final String DATABASE = "seedloop";
    public static final int GATEWAY_PORT = 8080;
    /** Keycloak's HTTP port; the CLI finds it through the gateway ({@code GET /api/v1/auth}). */
    public static final int KEYCLOAK_PORT = 8180;
    /** The client the gateway validates tokens for (their audience). */
    public static final String GATEWAY_CLIENT_ID = "seedloop-gateway";

    /** The five services: module directory, HTTP port, and what they need besides Kafka. */
    public static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("learner-service", 8084, true, false),
            new ServiceSpec("proposer-service", 8081, false, false),
            new ServiceSpec("implementer-service", 8082, false, false),
            new ServiceSpec("evaluator-service", 8083, false, false),
            new ServiceSpec("gateway", GATEWAY_PORT, false, true));

    public static StackLayout of(Path repositoryRoot) {
        String configured = System.getenv("SEEDLOOP_HOME");
        Path home = configured == null || configured.isBlank()
                ? repositoryRoot.resolve(".seedloop")
                : Path.of(configured);
        return new StackLayout(repositoryRoot.toAbsolutePath().normalize(), home.toAbsolutePath().normalize());
    }

    public Path kafkaData() {
        return home.resolve("data/kafka");
    }

    public Path postgresData() {
        return home.resolve("data/postgres");
    }

    /** Keycloak's own home: its H2 database (realm imported on the first start), log and pid file. */
    public Path keycloakData() {
        return home.resolve("keycloak");
    }

    public Path logs() {
        return home.resolve("logs");
    }

    public Path run() {
        return home.resolve("run");
    }

    /** The supervisor's pid while the stack runs. */
    public Path supervisorPidFile() {
        return run().resolve("supervisor.pid");
    }

    /** Written by the supervisor once every health check is green; removed when it stops. */
    public Path readyFile() {
        return run().resolve("ready");
    }

    /** Every process the supervisor started, one pid a line: lets `down` clean up after a crashed supervisor. */
    public Path childPidsFile() {
        return run().resolve("children.pids");
    }

    public Path serviceJar(ServiceSpec service) {
        return repositoryRoot.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    /**
     * A service of the stack.
     *
     * @param needsKeycloak it validates tokens, so it starts once Keycloak is up and is told its issuer
     */
    public record ServiceSpec(String module, int port, boolean needsDatabase, boolean needsKeycloak) {
        public String healthUrl() {
            return "http://127.0.0.1:" + port + "/q/health/ready";
        }
    }
}
