package dev.seedloop.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

/**
 * Where the local stack keeps everything and which ports it uses. Data lives under the stack home
 * ({@code $SEEDLOOP_HOME}, default {@code .seedloop/} in the checkout) and survives {@code down}/{@code up}.
 * {@code SEEDLOOP_HOME} is the stack's data directory only: the CLI keeps its credentials elsewhere. What runs comes
 * from the {@link Distribution} the build assembled.
 *
 * @param repositoryRoot the checkout: Keycloak's realm file ({@code deploy/keycloak}) and the demo's example
 * @param home           the stack's data
 * @param distribution   the directory of the {@link Distribution} the services run from
 */
public record StackLayout(Path repositoryRoot, Path home, Path distribution) {

    /** The suffix of a request to start a process now that is waiting out its backoff, rather than to restart it. */
    public static final String START_NOW_SUFFIX = ".start-now";

    public static final int KAFKA_PORT = 9092;
    public static final int POSTGRES_PORT = 55432;
    public static final String DATABASE = "seedloop";
    public static final int GATEWAY_PORT = 8080;
    /** Keycloak's HTTP port; the CLI finds it through the gateway ({@code GET /api/v1/auth}). */
    public static final int KEYCLOAK_PORT = 8180;
    /** The learner's management interface: its health checks (and operator endpoints), apart from its HTTP port. */
    public static final int LEARNER_MANAGEMENT_PORT = 9084;
    /** The client the gateway validates tokens for (their audience). */
    public static final String GATEWAY_CLIENT_ID = "seedloop-gateway";

    public StackLayout {
        repositoryRoot = repositoryRoot.toAbsolutePath().normalize();
        home = home.toAbsolutePath().normalize();
        distribution = distribution.toAbsolutePath().normalize();
    }

    public static StackLayout of(Path repositoryRoot, Path distribution) {
        String configured = System.getenv("SEEDLOOP_HOME");
        Path home = configured == null || configured.isBlank()
                ? repositoryRoot.resolve(".seedloop")
                : Path.of(configured);
        return new StackLayout(repositoryRoot, home, distribution);
    }

    /**
     * The five services in start order, the learner first (it answers everyone's reads), the gateway last; each runs
     * the jar the distribution's manifest names, in that jar's directory. Fails when the distribution lacks one.
     */
    public List<ServiceSpec> services() {
        Distribution packaged = Distribution.read(distribution);
        return List.of(
                packaged(packaged, "learner-service", 8084, LEARNER_MANAGEMENT_PORT, true, false),
                // The llm strategy reads parent trees and stores child trees in the artifact store (ADR 0018).
                packaged(packaged, "proposer-service", 8081, 0, true, false),
                // The implementer reads parent trees and stores child trees in the artifact store (ADR 0018, 0020).
                packaged(packaged, "implementer-service", 8082, 0, true, false),
                packaged(packaged, "evaluator-service", 8083, 0, false, false),
                // The gateway keeps uploaded workspaces in the artifact store (schema artifacts, ADR 0018).
                packaged(packaged, "gateway", GATEWAY_PORT, 0, true, true));
    }

    private static ServiceSpec packaged(Distribution distribution, String name, int port, int managementPort,
            boolean needsDatabase, boolean needsKeycloak) {
        Path jar = distribution.serviceJar(name);
        return new ServiceSpec(name, port, managementPort, needsDatabase, needsKeycloak,
                ServiceLauncher.packagedJar(jar), jar.getParent());
    }

    public Path kafkaData() {
        return home.resolve("data/kafka");
    }

    /** The implementer's own directory: experiment workspaces (emptied at its every start) and its lock. */
    public Path implementerData() {
        return sandboxReachable(home.resolve("data/implementer"));
    }

    /**
     * {@code preferred}, when the sandbox's user (uid 65534, ADR 0019) can reach it; otherwise a directory of its own
     * under the system temp directory, named after {@code preferred}. The sandbox binds a workspace after dropping
     * to that user, so every ancestor must be searchable by others, and a checkout below a private directory (a 0700
     * home, {@code mktemp -d}) is not: the implementer would refuse every experiment.
     */
    public static Path sandboxReachable(Path preferred) {
        Path absolute = preferred.toAbsolutePath().normalize();
        if (searchableByOthers(absolute)) {
            return absolute;
        }
        String name = Integer.toHexString(absolute.toString().hashCode());
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath()
                .resolve("seedloop-" + absolute.getFileName() + "-" + name);
    }

    private static boolean searchableByOthers(Path path) {
        for (Path at = path; at != null; at = at.getParent()) {
            if (!Files.exists(at)) {
                continue; // created later with the usual 0755
            }
            try {
                if (!Files.getPosixFilePermissions(at).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return true;
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

    /** The supervisor's own log: this run's only ({@code up} keeps the previous run's as {@code supervisor.log.1}). */
    public Path supervisorLog() {
        return logs().resolve("supervisor.log");
    }

    public Path run() {
        return home.resolve("run");
    }

    /** The supervisor's pid while the stack runs. */
    public Path supervisorPidFile() {
        return run().resolve("supervisor.pid");
    }

    /**
     * Every process of the stack as the supervisor sees it (state, pid, restarts, readiness, stop times), kept current
     * while it runs and left behind with the stop times when it ends.
     */
    public Path statusFile() {
        return run().resolve("status.json");
    }

    /**
     * {@code ./seedloop restart NAME} leaves a file named after the process here, {@code up} one named NAME
     * {@value #START_NOW_SUFFIX} (skip the rest of a crash's backoff); the supervisor picks them up.
     */
    public Path restartRequests() {
        return run().resolve("restart-requests");
    }

    /** Every process the supervisor started, one pid a line: lets `down` clean up after a crashed supervisor. */
    public Path childPidsFile() {
        return run().resolve("children.pids");
    }

    /**
     * A service of the stack.
     *
     * @param module           its name (the Maven module it is built from, and its name in the distribution)
     * @param port             its HTTP port
     * @param managementPort   its management interface (health checks), or 0 when health is on the HTTP port
     * @param needsKeycloak    it validates tokens, so it starts once Keycloak is up and is told its issuer
     * @param javaArguments    what follows {@code java} to run it (JVM flags, then {@code -jar} or a main class)
     * @param workingDirectory where it runs
     */
    public record ServiceSpec(String module, int port, int managementPort, boolean needsDatabase,
            boolean needsKeycloak, List<String> javaArguments, Path workingDirectory) {

        public ServiceSpec {
            javaArguments = List.copyOf(javaArguments);
        }

        public String healthUrl() {
            return ServiceLauncher.readinessUrl(managementPort > 0 ? managementPort : port);
        }
    }
}
