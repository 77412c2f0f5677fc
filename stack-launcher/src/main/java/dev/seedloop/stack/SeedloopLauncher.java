package dev.seedloop.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.seedloop.stack.StackStatus.Phase;
import dev.seedloop.stack.StackStatus.ProcessStatus;
import dev.seedloop.stack.StackStatus.State;

/**
 * {@code ./seedloop up|down|status|restart|demo}: starts the local stack (Keycloak, PostgreSQL, Kafka and the five
 * services) under a background supervisor, waits until every process is ready and prints where they are; reports
 * each process's health; restarts one service; stops it all leaving no process behind. The gateway commands
 * ({@code login}, {@code study}, ...) are the CLI's.
 *
 * <p>Exit codes of {@code status}: 0 when every process runs and answers its readiness check, 3 when the stack is
 * down, 4 when it runs but is not whole (starting, a process restarting or not ready, stopping).
 */
public final class SeedloopLauncher {

    static final int EXIT_DOWN = 3;
    static final int EXIT_NOT_WHOLE = 4;
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RESTART_TIMEOUT = Duration.ofMinutes(3);
    /** Longer than the supervisor's ordered stop may take, so `down` does not kill it halfway. */
    private static final Duration DOWN_TIMEOUT = Supervisor.ORDERED_STOP_BUDGET.plusMinutes(1);
    private static final Duration POLL = Duration.ofMillis(300);

    private final StackLayout layout;
    private final PrintStream out;
    private final PrintStream err;
    /** What follows {@code java -cp <our classpath>} to run the supervisor: a main class and its arguments. */
    private final List<String> supervisorMain;

    SeedloopLauncher(StackLayout layout, PrintStream out, PrintStream err, List<String> supervisorMain) {
        this.layout = layout;
        this.out = out;
        this.err = err;
        this.supervisorMain = List.copyOf(supervisorMain);
    }

    static SeedloopLauncher local(StackLayout layout) {
        return new SeedloopLauncher(layout, System.out, System.err,
                List.of("-Dseedloop.root=" + layout.repositoryRoot(),
                        "-Dseedloop.distribution=" + layout.distribution(), SeedloopLauncher.class.getName(),
                        "supervise"));
    }

    /**
     * Run by {@code ./seedloop} from the distribution, with {@code -Dseedloop.root} (the checkout) and
     * {@code -Dseedloop.distribution} (the distribution's directory, whose manifest names the services).
     */
    public static void main(String[] args) throws Exception {
        StackLayout layout = LocalStack.fromSystemProperties().orElse(null);
        if (layout == null) {
            System.exit(2);
        }
        String command = args.length == 0 ? "help" : args[0];
        int exit = switch (command) {
            case "demo" -> DemoCommand.run(layout, java.util.Arrays.asList(args).contains("--keep"));
            case "chaos" -> ChaosCommand.run(layout);
            case "supervise" -> {
                new Supervisor(StackPlan.local(layout)).run();
                yield 0;
            }
            default -> local(layout).run(args);
        };
        System.exit(exit);
    }

    /** The stack's commands: {@code up}, {@code down}, {@code status}, {@code restart NAME}. */
    int run(String... args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        return switch (command) {
            case "up" -> up(Map.of());
            case "down" -> down();
            case "status" -> status();
            case "restart" -> {
                if (args.length != 2) {
                    err.println("usage: seedloop restart NAME   (a process of `./seedloop status`, e.g. gateway)");
                    yield 2;
                }
                yield restart(args[1]);
            }
            default -> {
                err.println("usage: seedloop up|down|status|restart NAME|demo|chaos|test|bench NAME, or a CLI command "
                        + "(login, study, approve, reject, events, quota: ./seedloop --help)");
                yield "help".equals(command) ? 0 : 2;
            }
        };
    }

    /** Whether a supervisor runs (whole or not). */
    static boolean isRunning(StackLayout layout) throws IOException {
        return supervisor(layout).isPresent();
    }

    /** Whether the stack runs and every process of it is ready. */
    static boolean isUp(StackLayout layout) throws IOException {
        return supervisor(layout).isPresent()
                && StackStatus.read(layout.statusFile()).map(StackStatus::wholeNow).orElse(false);
    }

    static int up(StackLayout layout, Map<String, String> extraEnv) throws Exception {
        return local(layout).up(extraEnv);
    }

    static int down(StackLayout layout) throws Exception {
        return local(layout).down();
    }

    /** @param extraEnv environment for the supervisor and so for every service it starts */
    int up(Map<String, String> extraEnv) throws Exception {
        Optional<ProcessHandle> running = supervisor(layout);
        if (running.isPresent()) {
            return attach(running.get());
        }
        List<Long> leftovers = stopLeftovers();
        if (!leftovers.isEmpty()) {
            out.println("A previous supervisor ended without stopping " + leftovers + "; stopped them.");
        }
        Files.createDirectories(layout.logs());
        Path log = layout.supervisorLog();
        // This run's log only: what `up` echoes is this run's progress, the last run's stays beside it.
        if (Files.exists(log)) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.deleteIfExists(layout.statusFile());
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        // Its own session, so closing the terminal that ran `up` does not take the stack down with it.
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
        command.addAll(supervisorMain);
        // In the checkout, where Keycloak's realm file is found (deploy/keycloak/seedloop-realm.json).
        ProcessBuilder builder = new ProcessBuilder(command).directory(layout.repositoryRoot().toFile());
        builder.environment().putAll(extraEnv);
        Process started = builder
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        out.println("Starting the Seedloop stack (logs: " + layout.logs() + ") ...");
        if (awaitWhole(started.toHandle(), 0)) {
            return 0;
        }
        if (started.isAlive()) {
            err.println("The stack was not ready within " + UP_TIMEOUT.toMinutes() + " minutes; stopping it.");
            down();
        }
        return 1;
    }

    /** {@code up} with a supervisor already running: fine when whole, otherwise say what is missing and wait. */
    private int attach(ProcessHandle supervisor) throws Exception {
        Optional<StackStatus> status = StackStatus.read(layout.statusFile());
        if (status.map(StackStatus::wholeNow).orElse(false)) {
            out.println("Seedloop is already up (supervisor pid " + supervisor.pid() + ").");
            printProcesses(status.get());
            printHints();
            return 0;
        }
        if (status.isPresent() && status.get().phase() == Phase.RUNNING) {
            out.println("Seedloop is running (supervisor pid " + supervisor.pid() + ") but not every process is ready:");
            for (ProcessStatus process : status.get().processes()) {
                if (!process.readyNow()) {
                    out.println(row(process));
                    if (process.state() == State.RESTARTING) {
                        // Asked for the stack now: no reason to sit out the rest of the crash backoff.
                        requestStartNow(process.name());
                        out.println("    asked the supervisor to start " + process.name() + " now");
                    }
                }
            }
        } else if (status.isPresent() && status.get().phase() != Phase.STARTING) {
            err.println("Seedloop is " + status.get().phase().name().toLowerCase(Locale.ROOT) + " (supervisor pid "
                    + supervisor.pid() + "): run ./seedloop up again once it has stopped.");
            return 1;
        } else {
            out.println("Seedloop is starting (supervisor pid " + supervisor.pid() + ").");
        }
        out.println("Waiting until every process is ready ...");
        long shown = Files.exists(layout.supervisorLog()) ? Files.readAllLines(layout.supervisorLog()).size() : 0;
        if (awaitWhole(supervisor, shown)) {
            return 0;
        }
        if (supervisor.isAlive()) {
            err.println("Not every process was ready within " + UP_TIMEOUT.toMinutes() + " minutes: see "
                    + "./seedloop status and " + layout.logs());
        }
        return 1;
    }

    /** Echoes the supervisor's progress until the stack is whole (true), the supervisor is gone or time is up. */
    private boolean awaitWhole(ProcessHandle supervisor, long alreadyShown) throws Exception {
        Instant deadline = Instant.now().plus(UP_TIMEOUT);
        long shown = alreadyShown;
        while (Instant.now().isBefore(deadline)) {
            shown = echoProgress(shown);
            Optional<StackStatus> status = StackStatus.read(layout.statusFile());
            if (status.map(StackStatus::wholeNow).orElse(false)) {
                out.println();
                printProcesses(status.get());
                printHints();
                return true;
            }
            if (!supervisor.isAlive()) {
                echoProgress(shown);
                err.println("The stack failed to start; see " + layout.supervisorLog());
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return false;
    }

    /** Prints the supervisor's new log lines, so `up` shows progress as it happens. */
    private long echoProgress(long alreadyShown) throws IOException {
        if (!Files.exists(layout.supervisorLog())) {
            return alreadyShown;
        }
        List<String> lines = Files.readAllLines(layout.supervisorLog());
        for (long i = alreadyShown; i < lines.size(); i++) {
            String line = lines.get((int) i);
            if (line.contains("supervisor: ")) {
                out.println("  " + line.substring(line.indexOf("supervisor: ") + "supervisor: ".length()));
            }
        }
        return lines.size();
    }

    int down() throws Exception {
        Optional<ProcessHandle> running = supervisor(layout);
        running.ifPresent(handle -> {
            out.println("Stopping the Seedloop stack (supervisor pid " + handle.pid() + ") ...");
            Processes.stop(handle, DOWN_TIMEOUT);
        });
        List<Long> leftovers = stopLeftovers();
        Files.deleteIfExists(layout.supervisorPidFile());
        if (running.isEmpty() && leftovers.isEmpty()) {
            out.println("Seedloop is not running.");
            return 0;
        }
        running.flatMap(ignored -> StackStatus.read(layout.statusFile())).ifPresent(this::printStops);
        out.println("Seedloop stopped" + (leftovers.isEmpty() ? "." : " (cleaned up " + leftovers + ")."));
        return 0;
    }

    /** A supervisor that crashed cannot have stopped its children: finish its job. */
    private List<Long> stopLeftovers() throws IOException {
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
        return leftovers;
    }

    private void printStops(StackStatus status) {
        List<String> stops = new ArrayList<>();
        status.processes().stream()
                .filter(p -> p.stopRequestedAt() != null && p.stoppedAt() != null)
                .sorted(java.util.Comparator.comparing(ProcessStatus::stopRequestedAt))
                .forEach(p -> stops.add(p.name() + String.format(Locale.ROOT, " %.1f s",
                        Duration.between(p.stopRequestedAt(), p.stoppedAt()).toMillis() / 1000.0)));
        if (!stops.isEmpty()) {
            out.println("  stopped in order: " + String.join(", ", stops));
        }
    }

    int status() throws IOException {
        Optional<ProcessHandle> running = supervisor(layout);
        if (running.isEmpty()) {
            out.println("Seedloop is down.");
            return EXIT_DOWN;
        }
        Optional<StackStatus> read = StackStatus.read(layout.statusFile());
        if (read.isEmpty()) {
            out.println("Seedloop is starting (supervisor pid " + running.get().pid() + ").");
            return EXIT_NOT_WHOLE;
        }
        StackStatus status = read.get();
        List<String> notReady = status.processes().stream().filter(p -> !p.readyNow()).map(ProcessStatus::name)
                .toList();
        boolean whole = status.phase() == Phase.RUNNING && notReady.isEmpty();
        if (whole) {
            out.println("Seedloop is up (supervisor pid " + running.get().pid() + ").");
        } else if (status.phase() == Phase.RUNNING) {
            out.println("Seedloop is degraded (supervisor pid " + running.get().pid() + "): not ready: "
                    + String.join(", ", notReady) + ".");
        } else {
            out.println("Seedloop is " + status.phase().name().toLowerCase(Locale.ROOT) + " (supervisor pid "
                    + running.get().pid() + ").");
        }
        printProcesses(status);
        if (whole) {
            printHints();
        }
        return whole ? 0 : EXIT_NOT_WHOLE;
    }

    /** {@code restart NAME}: the supervisor stops the process cleanly and starts it again; waits until it is ready. */
    int restart(String requested) throws Exception {
        if (supervisor(layout).isEmpty()) {
            out.println("Seedloop is not running.");
            return EXIT_DOWN;
        }
        Optional<StackStatus> status = StackStatus.read(layout.statusFile());
        if (status.isEmpty() || status.get().phase() != Phase.RUNNING) {
            err.println("The stack is not up yet (see ./seedloop status); restart a process once it is.");
            return 1;
        }
        Optional<ProcessStatus> target = status.get().process(requested)
                .or(() -> status.get().process(requested + "-service"));
        if (target.isEmpty()) {
            err.println("No process " + requested + " in the stack; restart one of: " + String.join(", ",
                    status.get().processes().stream().map(ProcessStatus::name).toList()));
            return 2;
        }
        String name = target.get().name();
        int restartsBefore = target.get().restarts();
        out.println("Restarting " + name + " (pid " + target.get().pid() + ") ...");
        requestRestart(name);
        Instant deadline = Instant.now().plus(RESTART_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Optional<ProcessStatus> now = StackStatus.read(layout.statusFile()).flatMap(s -> s.process(name));
            if (now.isPresent() && now.get().restarts() > restartsBefore && now.get().readyNow()) {
                out.println(name + " restarted (pid " + now.get().pid() + ") and ready.");
                return 0;
            }
            if (supervisor(layout).isEmpty()) {
                err.println("The stack went down during the restart.");
                return 1;
            }
            Thread.sleep(POLL.toMillis());
        }
        err.println(name + " is not ready " + RESTART_TIMEOUT.toMinutes() + " minutes after its restart; see "
                + layout.logs().resolve(name + ".log") + " and ./seedloop status");
        return 1;
    }

    private void requestRestart(String name) throws IOException {
        Files.createDirectories(layout.restartRequests());
        Files.writeString(layout.restartRequests().resolve(name), Instant.now().toString());
    }

    /** Asks to skip what is left of a crash's backoff; a process that is back already is left alone. */
    private void requestStartNow(String name) throws IOException {
        Files.createDirectories(layout.restartRequests());
        Files.writeString(layout.restartRequests().resolve(name + StackLayout.START_NOW_SUFFIX),
                Instant.now().toString());
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

    private void printProcesses(StackStatus status) {
        out.println();
        for (ProcessStatus process : status.processes()) {
            out.println(row(process));
        }
        out.println();
    }

    /** One process: name, state, readiness checked now, pid, restarts, where it is (or why it is not). */
    private static String row(ProcessStatus process) {
        boolean alive = process.pid() > 0 && ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false);
        String state = process.state() == State.RUNNING && !alive ? "down" : process.state().name().toLowerCase(
                Locale.ROOT);
        String detail;
        if (process.state() == State.RUNNING && alive) {
            detail = process.address() + (process.health() != null && process.health().startsWith("http")
                    ? "  (health " + process.health() + ")" : "");
        } else if (process.state() == State.RESTARTING && process.nextStartAt() != null) {
            long inMillis = Math.max(0, Duration.between(Instant.now(), process.nextStartAt()).toMillis());
            detail = "last run: " + process.lastExit() + "; next start in "
                    + String.format(Locale.ROOT, "%.1f s", inMillis / 1000.0);
        } else {
            detail = process.lastExit() == null ? "" : "last run: " + process.lastExit();
        }
        return String.format(Locale.ROOT, "  %-20s %-10s %-9s %-11s restarts %-3d %s", process.name(), state,
                process.readyNow() ? "ready" : "not ready", alive ? "pid " + process.pid() : "-",
                process.restarts(), detail);
    }

    private void printHints() {
        out.println("  dashboard: http://127.0.0.1:" + StackLayout.GATEWAY_PORT + "/dashboard/   (same users)");
        out.println("  log in: ./seedloop login --user alice-researcher   (password alice-researcher-pw; "
                + "other users: README.md, CLI)");
        out.println("  data: " + layout.home() + "   health: ./seedloop status   restart one: ./seedloop restart NAME"
                + "   stop: ./seedloop down");
    }
}
