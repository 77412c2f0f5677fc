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

    /** The five services: module directory, HTTP port, and whether they need the database. */
    public static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("learner-service", 8084, true),
            new ServiceSpec("proposer-service", 8081, false),
            new ServiceSpec("implementer-service", 8082, false),
            new ServiceSpec("evaluator-service", 8083, false),
            new ServiceSpec("gateway", 8080, false));

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

    /** A service of the stack. */
    public record ServiceSpec(String module, int port, boolean needsDatabase) {
        public String healthUrl() {
            return "http://127.0.0.1:" + port + "/q/health/ready";
        }
    }
}
