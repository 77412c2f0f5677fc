package dev.seedloop.stack;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.seedloop.infra.KafkaBroker;
import dev.seedloop.infra.KeycloakServer;
import dev.seedloop.infra.PostgresServer;
import dev.seedloop.stack.StackStatus.Phase;
import dev.seedloop.stack.StackStatus.State;

/**
 * The background process that owns the local stack: it starts PostgreSQL, Kafka, Keycloak and the services as its
 * children and supervises them. A process that exits on its own is started again after {@link Backoff}'s wait; a file
 * under {@link StackLayout#restartRequests()} restarts one on request; {@link StackLayout#statusFile()} always says
 * where each one is. On SIGTERM it stops them in order: the services in reverse start order, each given the time to
 * close its Kafka consumers, then Keycloak, Kafka and PostgreSQL, which do not stop themselves meanwhile (they defer
 * their own exit safety net to us). One owner means `down` has exactly one process to signal and nothing is left.
 */
public final class Supervisor {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(180);
    /** How often readiness is checked and restart requests are looked for. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(500);
    /**
     * How long the infrastructure waits at exit for us to stop it in order before stopping itself: more than our
     * slowest stop (every service's grace, then Keycloak's and Kafka's), less than {@code down}'s patience.
     */
    static final Duration ORDERED_STOP_BUDGET = Duration.ofMinutes(4);

    private final StackPlan plan;
    private final StackLayout layout;
    private final Clock clock = Clock.systemUTC();
    private final List<SupervisedProcess> processes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean statusChanged = new AtomicBoolean(true);
    private volatile Phase phase = Phase.STARTING;
    private volatile boolean stopping;
    private volatile PostgresServer postgres;
    private volatile KafkaBroker kafka;
    private volatile KeycloakServer keycloak;
    private SupervisedProcess postgresProcess;
    private SupervisedProcess kafkaProcess;
    private SupervisedProcess keycloakProcess;
    private final List<SupervisedProcess> services = new CopyOnWriteArrayList<>();

    Supervisor(StackPlan plan) {
        this.plan = plan;
        this.layout = plan.layout();
    }

    void run() throws Exception {
        sandboxLimitsWarning().ifPresent(warning -> log("WARNING: " + warning));
        Files.createDirectories(layout.run());
        Files.createDirectories(layout.logs());
        Files.createDirectories(layout.restartRequests());
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(layout.restartRequests())) {
            for (Path request : stale) {
                Files.deleteIfExists(request);
            }
        }
        Files.writeString(layout.supervisorPidFile(), Long.toString(ProcessHandle.current().pid()));
        Files.deleteIfExists(layout.childPidsFile());
        writeStatus();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopAll();
            stopped.countDown();
        }, "seedloop-stack-shutdown"));
        Thread watch = new Thread(this::watch, "seedloop-stack-watch");
        watch.setDaemon(true);
        watch.start();
        try {
            startAll();
        } catch (Exception e) {
            log("start failed: " + e.getMessage());
            e.printStackTrace(System.out);
            phase = Phase.FAILED;
            writeStatus();
            System.exit(1);
        }
        processes.forEach(SupervisedProcess::supervise);
        SupervisedProcess failed = processes.stream().filter(p -> p.state() == State.FAILED).findFirst().orElse(null);
        if (failed != null) {
            log("start failed: " + failed.name() + " exited; see " + layout.logs());
            phase = Phase.FAILED;
            writeStatus();
            System.exit(1);
        }
        phase = Phase.RUNNING;
        writeStatus();
        log("stack ready");
        stopped.await();
    }

    private void startAll() throws Exception {
        // Keycloak takes longest (7-30 s) and needs nothing else: it starts beside the rest, and only the
        // services that validate tokens wait for it.
        CompletableFuture<Void> keycloakStarted = CompletableFuture.completedFuture(null);
        if (plan.runsKeycloak()) {
            log("starting Keycloak on port " + plan.keycloakPort());
            keycloakProcess = add(new SupervisedProcess("keycloak", "infrastructure",
                    "http://127.0.0.1:" + plan.keycloakPort() + "  (realm " + KeycloakServer.REALM + "; admin console "
                            + "/admin, " + KeycloakServer.ADMIN_USERNAME + "/" + KeycloakServer.ADMIN_PASSWORD + ")",
                    this::startKeycloak, plan.backoff(), listener(), clock));
            keycloakStarted = keycloakProcess.startFirst();
        }
        if (plan.runsPostgres()) {
            log("starting PostgreSQL on port " + plan.postgresPort());
            postgresProcess = add(new SupervisedProcess("postgresql", "infrastructure",
                    "127.0.0.1:" + plan.postgresPort() + "/" + StackLayout.DATABASE, this::startPostgres,
                    plan.backoff(), listener(), clock));
            await(postgresProcess.startFirst());
        }
        log("starting Kafka on port " + plan.kafkaPort());
        kafkaProcess = add(new SupervisedProcess("kafka", "infrastructure", "127.0.0.1:" + plan.kafkaPort(),
                this::startKafka, plan.backoff(), listener(), clock));
        await(kafkaProcess.startFirst());
        for (StackLayout.ServiceSpec service : plan.services()) {
            if (service.needsKeycloak()) {
                await(keycloakStarted);
            }
            SupervisedProcess process = add(new SupervisedProcess(service.module(), "service",
                    "http://127.0.0.1:" + service.port(), () -> startService(service), plan.backoff(), listener(),
                    clock));
            services.add(process);
            await(process.startFirst());
        }
        await(keycloakStarted);
        for (SupervisedProcess service : services) {
            awaitReady(service);
        }
    }

    private synchronized SupervisedProcess add(SupervisedProcess process) {
        if (stopping) {
            process.stop();
            throw new IllegalStateException("stopping");
        }
        processes.add(process);
        statusChanged.set(true);
        return process;
    }

    private static void await(CompletableFuture<Void> started) throws Exception {
        try {
            started.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Waits for a service's first readiness; fails fast if it exits meanwhile. */
    private void awaitReady(SupervisedProcess service) throws InterruptedException {
        Instant deadline = clock.instant().plus(HEALTH_TIMEOUT);
        Path log = layout.logs().resolve(service.name() + ".log");
        while (!service.ready()) {
            if (service.state() == State.FAILED) {
                throw new IllegalStateException(service.name() + " exited (" + service.status().lastExit() + "); see "
                        + log);
            }
            if (clock.instant().isAfter(deadline)) {
                throw new IllegalStateException(service.name() + " not ready after " + HEALTH_TIMEOUT.toSeconds()
                        + " s; see " + log);
            }
            Thread.sleep(WATCH_INTERVAL.toMillis() / 2);
        }
    }

    private SupervisedProcess.Incarnation startPostgres() throws IOException {
        // The store of record: a commit counts once it is on disk, so a crash loses nothing acknowledged (ADR 0029).
        PostgresServer server = PostgresServer.start(layout.postgresData(), plan.postgresPort(), true);
        server.deferExitStop(ORDERED_STOP_BUDGET);
        server.createDatabaseIfMissing(StackLayout.DATABASE);
        // Not among the children `down` kills after a crash of ours: the next start stops an orphaned postmaster cleanly.
        postgres = server;
        return infrastructure(ProcessHandle.of(server.pid()).orElseThrow(() -> new IllegalStateException(
                "PostgreSQL's postmaster is already gone")), StackStatus.Probes.tcp(plan.postgresPort()), server::close);
    }

    private SupervisedProcess.Incarnation startKafka() throws IOException {
        KafkaBroker broker = KafkaBroker.start(layout.kafkaData(), plan.kafkaPort());
        broker.deferExitStop(ORDERED_STOP_BUDGET);
        kafka = broker;
        recordChild(broker.pid());
        return infrastructure(ProcessHandle.of(broker.pid()).orElseThrow(() -> new IllegalStateException(
                "the Kafka broker is already gone")), StackStatus.Probes.tcp(plan.kafkaPort()), broker::close);
    }

    private SupervisedProcess.Incarnation startKeycloak() throws IOException {
        KeycloakServer server = KeycloakServer.start(layout.keycloakData(), plan.keycloakPort(),
                KeycloakServer.findRealmFile());
        server.deferExitStop(ORDERED_STOP_BUDGET);
        keycloak = server;
        recordChild(server.pid());
        log("Keycloak's issuer: " + server.issuer() + " (log " + layout.keycloakData().resolve("keycloak.log") + ")");
        return infrastructure(ProcessHandle.of(server.pid()).orElseThrow(() -> new IllegalStateException(
                "Keycloak is already gone")), server.healthUrl(), server::close);
    }

    private static SupervisedProcess.Incarnation infrastructure(ProcessHandle process, String health, Runnable stop) {
        CompletableFuture<String> exit = process.onExit().thenApply(gone -> "exited");
        return new SupervisedProcess.Incarnation() {
            @Override
            public ProcessHandle process() {
                return process;
            }

            @Override
            public CompletableFuture<String> exit() {
                return exit;
            }

            @Override
            public String health() {
                return health;
            }

            @Override
            public void stop() {
                stop.run();
            }
        };
    }

    private SupervisedProcess.Incarnation startService(StackLayout.ServiceSpec service) throws IOException {
        Process process = ServiceLauncher.start(service.javaArguments(), service.workingDirectory(), service.port(),
                service.managementPort(), serviceEnvironment(service), serviceLog(service));
        recordChild(process.pid());
        CompletableFuture<String> exit = process.onExit().thenApply(gone -> "exit code " + gone.exitValue());
        Duration grace = plan.serviceStopGrace();
        return new SupervisedProcess.Incarnation() {
            @Override
            public ProcessHandle process() {
                return process.toHandle();
            }

            @Override
            public CompletableFuture<String> exit() {
                return exit;
            }

            @Override
            public String health() {
                return service.healthUrl();
            }

            @Override
            public void stop() {
                Processes.stop(process.toHandle(), grace);
            }
        };
    }

    private Path serviceLog(StackLayout.ServiceSpec service) {
        return layout.logs().resolve(service.module() + ".log");
    }

    private static final String ALLOW_PER_PROCESS_LIMITS = "SEEDLOOP_IMPLEMENTER_ALLOW_PER_PROCESS_LIMITS";

    static boolean runsAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Said once at start: a user who is not root runs experiments under weaker, per-process limits. */
    static Optional<String> sandboxLimitsWarning() {
        if (runsAsRoot() || System.getenv(ALLOW_PER_PROCESS_LIMITS) != null) {
            return Optional.empty();
        }
        return Optional.of("not running as root: experiments get per-process limits instead of whole-experiment"
                + " memory, process and disk limits (ADR 0019); run as root, or set " + ALLOW_PER_PROCESS_LIMITS
                + "=false to refuse experiments instead");
    }

    private Map<String, String> serviceEnvironment(StackLayout.ServiceSpec service) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        if (service.needsKeycloak()) {
            env.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.issuer());
            env.put("QUARKUS_OIDC_CLIENT_ID", StackLayout.GATEWAY_CLIENT_ID);
        }
        if (service.module().equals("implementer-service")) {
            // Not the jar's directory: a rebuild would wipe it, and it belongs with the stack's other data.
            env.put("SEEDLOOP_IMPLEMENTER_DATA_DIR", layout.implementerData().toString());
            if (!runsAsRoot() && System.getenv(ALLOW_PER_PROCESS_LIMITS) == null) {
                // Whole-experiment limits need cgroups and loop mounts, so root (ADR 0019); a laptop user still
                // gets a working local stack, with per-process limits, and is told so.
                env.put(ALLOW_PER_PROCESS_LIMITS, "true");
            }
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

    /** Keeps readiness and the status file current and hands restart requests to their process. */
    private void watch() {
        while (true) {
            try {
                takeRestartRequests();
                for (SupervisedProcess process : processes) {
                    if (process.updateReadiness()) {
                        statusChanged.set(true);
                    }
                }
                if (statusChanged.getAndSet(false)) {
                    writeStatus();
                }
                Thread.sleep(WATCH_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | IOException e) {
                log("watch: " + e);
            }
        }
    }

    private void takeRestartRequests() throws IOException {
        if (stopping || phase != Phase.RUNNING) {
            return;
        }
        try (DirectoryStream<Path> requests = Files.newDirectoryStream(layout.restartRequests())) {
            for (Path request : requests) {
                String file = request.getFileName().toString();
                Files.deleteIfExists(request);
                boolean startNow = file.endsWith(StackLayout.START_NOW_SUFFIX);
                String name = startNow ? file.substring(0, file.length() - StackLayout.START_NOW_SUFFIX.length())
                        : file;
                processes.stream().filter(p -> p.name().equals(name)).findFirst().ifPresentOrElse(
                        startNow ? SupervisedProcess::startNow : SupervisedProcess::restart,
                        () -> log("restart requested for unknown process " + name));
            }
        }
    }

    private SupervisedProcess.Listener listener() {
        return new SupervisedProcess.Listener() {
            @Override
            public void changed() {
                statusChanged.set(true);
            }

            @Override
            public void log(String message) {
                Supervisor.log(message);
            }
        };
    }

    /**
     * Services first, in reverse start order, each until it has exited (its consumers closed and its groups left
     * while Kafka still answers); then Keycloak, Kafka and PostgreSQL.
     */
    private void stopAll() {
        synchronized (this) {
            stopping = true;
        }
        phase = Phase.STOPPING;
        writeStatus();
        List<SupervisedProcess> order = new ArrayList<>();
        List<SupervisedProcess> started = new ArrayList<>(processes);
        for (int i = started.size() - 1; i >= 0; i--) {
            if (services.contains(started.get(i))) {
                order.add(started.get(i));
            }
        }
        for (SupervisedProcess infrastructure : new SupervisedProcess[] {keycloakProcess, kafkaProcess,
                postgresProcess}) {
            if (infrastructure != null) {
                order.add(infrastructure);
            }
        }
        for (SupervisedProcess process : order) {
            try {
                process.stop();
            } catch (RuntimeException e) {
                log("while stopping " + process.name() + ": " + e.getMessage());
            }
            writeStatus();
        }
        phase = Phase.STOPPED;
        writeStatus();
        try {
            Files.deleteIfExists(layout.childPidsFile());
            Files.deleteIfExists(layout.supervisorPidFile());
        } catch (IOException ignored) {
            // nothing more to do while shutting down
        }
        log("stack stopped");
    }

    private synchronized void writeStatus() {
        List<String> order = new ArrayList<>(List.of("postgresql", "kafka", "keycloak"));
        plan.services().forEach(service -> order.add(service.module()));
        new StackStatus(ProcessHandle.current().pid(), phase, clock.instant(), processes.stream()
                .sorted(java.util.Comparator.comparingInt(p -> order.indexOf(p.name())))
                .map(SupervisedProcess::status).toList()).write(layout.statusFile());
    }

    private synchronized void recordChild(long pid) throws IOException {
        Files.writeString(layout.childPidsFile(), pid + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static void log(String message) {
        System.out.println(Instant.now() + " supervisor: " + message);
        System.out.flush();
    }
}
