package dev.seedloop.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.seedloop.infra.KeycloakServer;

/**
 * {@code ./seedloop up|down|status|demo}: starts the local stack (Keycloak, PostgreSQL, Kafka and the five
 * services) in the background, waits until every service is healthy and prints where they are; stops it
 * leaving no process behind. The gateway commands ({@code login}, {@code study}, ...) are the CLI's.
 */
public final class SeedloopLauncher {

    private static final Duration UP_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration DOWN_TIMEOUT = Duration.ofSeconds(90);

    private SeedloopLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("seedloop.root", ".")).toAbsolutePath().normalize();
        StackLayout layout = StackLayout.of(root);
        String command = args.length == 0 ? "help" : args[0];
        int exit = switch (command) {
            case "up" -> up(layout, Map.of());
            case "demo" -> DemoCommand.run(layout);
            case "down" -> down(layout);
            case "status" -> status(layout);
            case "supervise" -> {
                new Supervisor(layout).run();
                yield 0;
            }
            default -> {
                System.err.println("usage: seedloop up|down|status|demo|test|bench strategies, or a CLI command "
                        + "(login, study, approve, reject, events, quota: ./seedloop --help)");
                yield "help".equals(command) ? 0 : 2;
            }
        };
        System.exit(exit);
    }

    static boolean isUp(StackLayout layout) throws IOException {
        return supervisor(layout).isPresent() && Files.exists(layout.readyFile());
    }

    /** @param extraEnv environment for the supervisor and so for every service it starts */
    static int up(StackLayout layout, Map<String, String> extraEnv) throws Exception {
        Optional<ProcessHandle> running = supervisor(layout);
        if (running.isPresent() && Files.exists(layout.readyFile())) {
            System.out.println("Seedloop is already up (supervisor pid " + running.get().pid() + ").");
            printUrls(layout);
            return 0;
        }
        Process started = null;
        if (running.isEmpty()) {
            Files.createDirectories(layout.logs());
            String java = ProcessHandle.current().info().command().orElse("java");
            String classpath = System.getProperty("java.class.path");
            Path log = layout.logs().resolve("supervisor.log");
            List<String> command = new ArrayList<>();
            // Its own session, so closing the terminal that ran `up` does not take the stack down with it.
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                command.add("/usr/bin/setsid");
            }
            command.addAll(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-Dseedloop.root=" + layout.repositoryRoot(),
                    "-cp", classpath, SeedloopLauncher.class.getName(), "supervise"));
            // In the checkout, where Keycloak's realm file is found (deploy/keycloak/seedloop-realm.json).
            ProcessBuilder builder = new ProcessBuilder(command).directory(layout.repositoryRoot().toFile());
            builder.environment().putAll(extraEnv);
            started = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            System.out.println("Starting the Seedloop stack (logs: " + layout.logs() + ") ...");
        }
        Instant deadline = Instant.now().plus(UP_TIMEOUT);
        long lastLines = 0;
        while (Instant.now().isBefore(deadline)) {
            lastLines = echoProgress(layout.logs().resolve("supervisor.log"), lastLines);
            if (Files.exists(layout.readyFile())) {
                printUrls(layout);
                return 0;
            }
            boolean supervisorGone = started != null ? !started.isAlive() : supervisor(layout).isEmpty();
            if (supervisorGone) {
                echoProgress(layout.logs().resolve("supervisor.log"), lastLines);
                System.err.println("The stack failed to start; see " + layout.logs().resolve("supervisor.log"));
                return 1;
            }
            Thread.sleep(500);
        }
        System.err.println("The stack was not ready within " + UP_TIMEOUT.toMinutes() + " minutes; stopping it.");
        down(layout);
        return 1;
    }

    /** Prints the supervisor's new log lines, so `up` shows progress as it happens. */
    private static long echoProgress(Path log, long alreadyShown) throws IOException {
        if (!Files.exists(log)) {
            return alreadyShown;
        }
        List<String> lines = Files.readAllLines(log);
        for (long i = alreadyShown; i < lines.size(); i++) {
            String line = lines.get((int) i);
            if (line.contains("supervisor: ")) {
                System.out.println("  " + line.substring(line.indexOf("supervisor: ") + "supervisor: ".length()));
            }
        }
        return lines.size();
    }

    static int down(StackLayout layout) throws Exception {
        Optional<ProcessHandle> running = supervisor(layout);
        running.ifPresent(handle -> {
            System.out.println("Stopping the Seedloop stack (supervisor pid " + handle.pid() + ") ...");
            Processes.stop(handle, DOWN_TIMEOUT);
        });
        // A supervisor that crashed cannot have stopped its children: finish its job.
        List<Long> leftovers = new ArrayList<>();
        if (Files.exists(layout.childPidsFile())) {
            for (String line : Files.readAllLines(layout.childPidsFile())) {
                if (!line.isBlank()) {
                    ProcessHandle.of(Long.parseLong(line.trim())).filter(ProcessHandle::isAlive).ifPresent(child -> {
                        leftovers.add(child.pid());
                        Processes.stop(child, Duration.ofSeconds(20));
                    });
                }
            }
            Files.deleteIfExists(layout.childPidsFile());
        }
        Files.deleteIfExists(layout.readyFile());
        Files.deleteIfExists(layout.supervisorPidFile());
        if (running.isEmpty() && leftovers.isEmpty()) {
            System.out.println("Seedloop is not running.");
        } else {
            System.out.println("Seedloop stopped" + (leftovers.isEmpty() ? "." : " (cleaned up " + leftovers + ")."));
        }
        return 0;
    }

    static int status(StackLayout layout) throws IOException {
        Optional<ProcessHandle> running = supervisor(layout);
        if (running.isEmpty()) {
            System.out.println("Seedloop is down.");
            return 3;
        }
        System.out.println(Files.exists(layout.readyFile()) ? "Seedloop is up." : "Seedloop is starting.");
        printUrls(layout);
        return 0;
    }

    private static Optional<ProcessHandle> supervisor(StackLayout layout) throws IOException {
        if (!Files.exists(layout.supervisorPidFile())) {
            return Optional.empty();
        }
        String pid = Files.readString(layout.supervisorPidFile()).trim();
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
    }

    private static void printUrls(StackLayout layout) {
        System.out.println();
        System.out.printf("  %-20s %s%n", "kafka", "127.0.0.1:" + StackLayout.KAFKA_PORT);
        System.out.printf("  %-20s %s%n", "postgresql", "127.0.0.1:" + StackLayout.POSTGRES_PORT + "/"
                + StackLayout.DATABASE);
        System.out.printf("  %-20s http://127.0.0.1:%d  (realm %s; admin console /admin, %s/%s)%n", "keycloak",
                StackLayout.KEYCLOAK_PORT, KeycloakServer.REALM, KeycloakServer.ADMIN_USERNAME,
                KeycloakServer.ADMIN_PASSWORD);
        for (StackLayout.ServiceSpec service : StackLayout.SERVICES) {
            System.out.printf("  %-20s http://127.0.0.1:%d  (health: %s)%n", service.module(), service.port(),
                    service.healthUrl());
        }
        System.out.println();
        System.out.println("  log in: ./seedloop login --user alice-researcher   (password alice-researcher-pw; "
                + "other users: README.md, CLI)");
        System.out.println("  data: " + layout.home() + "   stop with: ./seedloop down");
    }
}
