package dev.seedloop.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.seedloop.checker.CheckReport;
import dev.seedloop.checker.CheckResult;
import dev.seedloop.checker.LearnerEndpoints;
import dev.seedloop.checker.StoreChecker;
import dev.seedloop.checker.StoreVerification;
import dev.seedloop.cli.SpecUploads;
import dev.seedloop.cli.client.ApiException;
import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.events.EventTypes;
import dev.seedloop.infra.FreePorts;
import dev.seedloop.stack.StackStatus.ProcessStatus;

/**
 * {@code ./seedloop chaos}: the faults of issue #15 on a stack of its own, while studies with parallel experiments
 * run, then our checker on what the store recorded. In turn: {@code kill -9} of each of the five services, of the
 * Kafka broker and of PostgreSQL (the supervisor starts each again); SIGSTOP of the learner for 60 s, then SIGCONT;
 * PostgreSQL's disk filled to the last byte for 30 s, then freed. After each fault the stack must be whole again and
 * the loop must have stored a new experiment outcome (the positive sign that it moves) before the next one. Then
 * every study must complete on its budget, and {@link StoreVerification} must pass: one outcome and at most one
 * evaluation per proposal, no event id twice, no sequence gap, budgets kept, replay from zero equal to live state,
 * projections equal after a full rebuild. Prints a verdict; exit 0 only when everything held.
 *
 * <p>The stack's home is {@code <SEEDLOOP_HOME>/chaos}, emptied at the start, with PostgreSQL's data directory on a
 * loop-mounted ext4 file system of {@value #DISK_MIB} MiB (so the disk can be filled without touching the host's):
 * this needs root, {@code mkfs.ext4} and a loop device, and the chaos run fails at once without them. The ports are
 * the local stack's, so a stack that is up must be stopped first.
 */
final class ChaosCommand {

    static final int DISK_MIB = 1024;
    private static final String USER = "alice-researcher";
    private static final String PASSWORD = "alice-researcher-pw";
    /** Studies kept running while faults happen; below the team's default quota of 5 at once. */
    private static final int RUNNING_STUDIES = 3;
    private static final int EXPERIMENTS_PER_STUDY = 16;
    private static final int PARALLELISM = 3;
    private static final Duration RECOVERY = Duration.ofMinutes(5);
    private static final Duration PAUSE = Duration.ofSeconds(60);
    private static final Duration DISK_FULL = Duration.ofSeconds(30);
    private static final Duration STUDIES_DONE = Duration.ofMinutes(15);
    private static final List<String> SERVICES = List.of("implementer-service", "learner-service", "proposer-service",
            "evaluator-service", "gateway");
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:" + StackLayout.POSTGRES_PORT + "/"
            + StackLayout.DATABASE;

    private final StackLayout layout;
    private final PrintStream out;
    private final long started = System.nanoTime();
    private final List<String> studies = new ArrayList<>();
    private final List<CheckResult> faults = new ArrayList<>();
    private GatewayClient gateway;
    private Path studyDir;
    private int nextSeed = 1;

    private ChaosCommand(StackLayout layout, PrintStream out) {
        this.layout = layout;
        this.out = out;
    }

    static int run(StackLayout local) throws Exception {
        StackLayout layout = new StackLayout(local.repositoryRoot(), local.home().resolve("chaos"),
                local.distribution());
        return new ChaosCommand(layout, System.out).run();
    }

    private int run() throws Exception {
        Optional<String> unfit = unfit();
        if (unfit.isPresent()) {
            System.err.println("./seedloop chaos cannot run here: " + unfit.get());
            return 2;
        }
        Path disk = layout.home().resolveSibling("chaos-postgres.img");
        Path mount = layout.postgresData();
        unmount(mount);
        deleteTree(layout.home());
        say("PostgreSQL's data on a " + DISK_MIB + " MiB loop-mounted ext4 file system (" + disk + " on " + mount
                + "), so that its disk can be filled");
        shell("mkdir -p '" + disk.getParent() + "' && rm -f '" + disk + "' && truncate -s " + DISK_MIB + "M '" + disk + "' && mkfs.ext4 -q -F -m 0 '" + disk
                + "' && mkdir -p '" + mount + "' && mount -o loop '" + disk + "' '" + mount + "'");
        boolean sandboxed = Files.isExecutable(Path.of("/usr/bin/bwrap"));
        boolean keepDisk = false;
        try {
            Map<String, String> env = Map.of("SEEDLOOP_HOME", layout.home().toString(),
                    "SEEDLOOP_IMPLEMENTER_ALLOW_UNSANDBOXED", Boolean.toString(!sandboxed));
            if (SeedloopLauncher.up(layout, env) != 0) {
                System.err.println("The chaos stack did not start; see " + layout.logs());
                return 1;
            }
            say("stack up");
            int verdict = chaos(mount);
            keepDisk = verdict != 0;
            return verdict;
        } catch (CliException e) {
            System.err.println(e.getMessage());
            e.details().forEach(line -> System.err.println("  " + line));
            return 1;
        } finally {
            SeedloopLauncher.down(layout);
            unmount(mount);
            if (keepDisk) {
                // The store that failed a check, for whoever looks into it.
                say("the store is kept: mount -o loop " + disk + " " + mount + "; then ./seedloop up with SEEDLOOP_HOME="
                        + layout.home());
            } else {
                Files.deleteIfExists(disk);
            }
        }
    }

    private int chaos(Path mount) throws Exception {
        gateway = StackGateway.login(USER, PASSWORD, out);
        StackGateway.awaitLearnerAnswers(gateway, Duration.ofSeconds(60));
        studyDir = writeWorkspace(layout.home().resolve("study"));
        boolean whole = true;
        for (String service : SERVICES) {
            whole = whole && fault("kill -9 " + service, () -> kill(service), service, true);
        }
        whole = whole && fault("kill -9 kafka", () -> kill("kafka"), "kafka", true);
        whole = whole && fault("kill -9 postgresql", () -> kill("postgresql"), "postgresql", true);
        whole = whole && fault("SIGSTOP learner-service for " + PAUSE.toSeconds() + " s", () -> pause("learner-service"),
                "learner-service", false);
        whole = whole && fault("PostgreSQL's disk full for " + DISK_FULL.toSeconds() + " s", () -> fillDisk(mount),
                "postgresql", false);
        if (!whole) {
            say("the stack did not recover from the last fault; waiting for the studies anyway");
        }
        CheckResult completed = awaitStudies();
        say("all " + studies.size() + " studies ended; running the store checker");
        CheckReport report = new CheckReport(faults).with(completed);
        report = new CheckReport(report.results()).with(StoreVerification.run(
                new StoreChecker(JDBC, "postgres", "postgres"),
                new LearnerEndpoints(URI.create("http://127.0.0.1:" + learnerPort())),
                "127.0.0.1:" + StackLayout.KAFKA_PORT, out)
                .results().toArray(CheckResult[]::new));
        out.println();
        out.println(report);
        out.printf(Locale.ROOT, "chaos run: %d studies, %d faults, %.0f s in all%n", studies.size(), faults.size(),
                seconds(started));
        return report.passed() ? 0 : 1;
    }

    @FunctionalInterface
    private interface Fault {
        /** Does the damage (and undoes it, for a pause or a full disk); says what it did. */
        String inflict() throws Exception;
    }

    /**
     * One fault while studies run: keeps {@value #RUNNING_STUDIES} studies going, inflicts it, then waits until the
     * process came back (a new incarnation, for a kill), the stack is whole, and a new outcome is stored. Recorded as a
     * check: its offender is a recovery that did not happen within {@link #RECOVERY}.
     */
    private boolean fault(String name, Fault fault, String process, boolean restarts) throws Exception {
        keepStudiesRunning();
        // Mid-study for real: an experiment started and not finished when the fault strikes.
        if (!awaitInFlight(RECOVERY)) {
            say("  no experiment in flight within " + RECOVERY.toMinutes() + " min; faulting anyway");
        }
        long outcomesBefore = outcomes();
        int restartsBefore = status().process(process).map(ProcessStatus::restarts).orElse(0);
        say(name + " ...");
        long inflicted = System.nanoTime();
        say("  " + fault.inflict());
        Instant deadline = Instant.now().plus(RECOVERY);
        boolean back = false;
        while (Instant.now().isBefore(deadline)) {
            StackStatus now = status();
            boolean incarnated = !restarts || now.process(process).map(p -> p.restarts() > restartsBefore).orElse(false);
            if (incarnated && now.wholeNow()) {
                back = true;
                break;
            }
            Thread.sleep(500);
        }
        double wholeAfter = seconds(inflicted);
        Optional<Long> moved = back ? awaitNewOutcome(outcomesBefore, RECOVERY) : Optional.empty();
        List<String> offenders = new ArrayList<>();
        if (!back) {
            offenders.add(process + ": the stack was not whole within " + RECOVERY.toMinutes() + " min (see "
                    + layout.logs() + ")");
        } else if (moved.isEmpty()) {
            offenders.add("no new experiment outcome stored within " + RECOVERY.toMinutes() + " min after recovery");
        } else {
            say(String.format(Locale.ROOT, "  recovered: stack whole %.1f s after the fault, a new outcome stored "
                    + "after %.1f s (%d outcomes so far)", wholeAfter, seconds(inflicted), moved.get()));
        }
        faults.add(new CheckResult("survived: " + name, "the stack came back whole and the loop moved on",
                offenders));
        return back;
    }

    private String kill(String process) throws Exception {
        ProcessStatus target = status().process(process).orElseThrow();
        ProcessHandle handle = ProcessHandle.of(target.pid())
                .orElseThrow(() -> new IllegalStateException(process + " (pid " + target.pid() + ") is not running"));
        handle.destroyForcibly();
        handle.onExit().get();
        return "killed pid " + target.pid() + " with SIGKILL";
    }

    private String pause(String process) throws Exception {
        long pid = status().process(process).orElseThrow().pid();
        signal("STOP", pid);
        Thread.sleep(PAUSE.toMillis());
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        signal("CONT", pid);
        return "pid " + pid + " stopped for " + PAUSE.toSeconds() + " s (" + (alive ? "still there" : "GONE")
                + "), then continued";
    }

    private String fillDisk(Path mount) throws Exception {
        Path filler = mount.resolve("chaos-filler");
        long free = Files.getFileStore(mount).getUsableSpace();
        shell("fallocate -l " + free + " '" + filler + "' || true; dd if=/dev/zero of='" + filler
                + "-rest' bs=4k status=none || true");
        long left = Files.getFileStore(mount).getUsableSpace();
        if (left > 0) {
            throw new IllegalStateException("could not fill " + mount + ": " + left + " bytes still free");
        }
        long outcomes = outcomes();
        Thread.sleep(DISK_FULL.toMillis());
        String effect = "outcomes stored while full: " + (outcomes() - outcomes) + "; PostgreSQL "
                + (status().process("postgresql").map(ProcessStatus::readyNow).orElse(false) ? "up" : "down")
                + " at the end";
        Files.delete(filler);
        Files.deleteIfExists(filler.resolveSibling("chaos-filler-rest"));
        return "filled " + mount + " (" + free / (1024 * 1024) + " MiB, 0 bytes left) for " + DISK_FULL.toSeconds()
                + " s, then freed; " + effect;
    }

    /** Creates studies until {@value #RUNNING_STUDIES} of ours have not ended, so every fault hits work in flight. */
    private void keepStudiesRunning() throws Exception {
        Map<String, String> ends = ends();
        long running = studies.stream().filter(s -> !ends.containsKey(s)).count();
        for (long i = running; i < RUNNING_STUDIES; i++) {
            StackGateway.awaitLearnerAnswers(gateway, RECOVERY);
            Path seeded = writeSpec(studyDir, nextSeed++);
            String id = create(SpecUploads.withUploadedDirectories(gateway, seeded, new PrintStream(
                    java.io.OutputStream.nullOutputStream())));
            studies.add(id);
            say("  study " + id + " created (" + EXPERIMENTS_PER_STUDY + " experiments, parallelism " + PARALLELISM
                    + ")");
        }
    }

    private String create(String body) throws InterruptedException {
        long deadline = System.nanoTime() + RECOVERY.toNanos();
        while (true) {
            try {
                return gateway.createStudy(body).value().studyId();
            } catch (ApiException e) {
                if (e.status() != 503 || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(1000);
        }
    }

    /** Waits for every study to end; offenders are those that did not, or ended on anything but their budget. */
    private CheckResult awaitStudies() throws Exception {
        say("waiting for every study to end (at most " + STUDIES_DONE.toMinutes() + " min) ...");
        Instant deadline = Instant.now().plus(STUDIES_DONE);
        Map<String, String> ends = ends();
        while (ends.size() < studies.size() && Instant.now().isBefore(deadline)) {
            Thread.sleep(2000);
            ends = ends();
        }
        List<String> offenders = new ArrayList<>();
        for (String study : studies) {
            String reason = ends.get(study);
            if (reason == null) {
                offenders.add("study " + study + ": not completed within " + STUDIES_DONE.toMinutes() + " min");
            } else if (!reason.equals("budget-exhausted")) {
                offenders.add("study " + study + ": completed with " + reason);
            }
        }
        return new CheckResult("every-study-completed", "each of the " + studies.size()
                + " studies completed on its budget", offenders);
    }

    /** The completion reason of each of our studies that has one; empty while PostgreSQL is away. */
    private Map<String, String> ends() throws Exception {
        Map<String, String> ends = new LinkedHashMap<>();
        query("select study_id, envelope::jsonb -> 'payload' ->> 'reason' from event_store where event_type = '"
                + EventTypes.STUDY_COMPLETED + "' and study_id = any(?)", rows -> {
                    while (rows.next()) {
                        ends.put(rows.getString(1), rows.getString(2));
                    }
                });
        return ends;
    }

    /** Outcomes stored for our studies so far; -1 while PostgreSQL is away. */
    private long outcomes() throws Exception {
        long[] count = {-1};
        query("select count(*) from event_store where event_type in ('" + EventTypes.EXPERIMENT_COMPLETED + "', '"
                + EventTypes.EXPERIMENT_FAILED + "') and study_id = any(?)", rows -> {
                    rows.next();
                    count[0] = rows.getLong(1);
                });
        return count[0];
    }

    /** Waits until one of our studies has an experiment started and without its outcome yet. */
    private boolean awaitInFlight(Duration patience) throws Exception {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            boolean[] inFlight = {false};
            query("select count(*) filter (where event_type = '" + EventTypes.EXPERIMENT_STARTED + "') > count(*) "
                    + "filter (where event_type in ('" + EventTypes.EXPERIMENT_COMPLETED + "', '"
                    + EventTypes.EXPERIMENT_FAILED + "')) from event_store where study_id = any(?)",
                    rows -> inFlight[0] = rows.next() && rows.getBoolean(1));
            if (inFlight[0]) {
                return true;
            }
            Thread.sleep(300);
        }
        return false;
    }

    /** Waits until more than {@code than} outcomes are stored: the positive sign that the loop moves. */
    private Optional<Long> awaitNewOutcome(long than, Duration patience) throws Exception {
        Instant deadline = Instant.now().plus(patience);
        while (Instant.now().isBefore(deadline)) {
            long now = outcomes();
            if (now > than) {
                return Optional.of(now);
            }
            Thread.sleep(500);
        }
        return Optional.empty();
    }

    @FunctionalInterface
    private interface Rows {
        void read(ResultSet rows) throws SQLException;
    }

    private void query(String sql, Rows reader) {
        try (Connection db = DriverManager.getConnection(JDBC, "postgres", "postgres");
             PreparedStatement query = db.prepareStatement(sql)) {
            Array ids = db.createArrayOf("text", studies.toArray());
            query.setArray(1, ids);
            try (ResultSet rows = query.executeQuery()) {
                reader.read(rows);
            }
        } catch (SQLException away) {
            // PostgreSQL restarting or its disk full: the caller asks again.
        }
    }

    private int learnerPort() {
        return layout.services().stream().filter(s -> s.module().equals("learner-service")).findFirst().orElseThrow()
                .port();
    }

    private StackStatus status() {
        return StackStatus.read(layout.statusFile()).orElseThrow(() -> new IllegalStateException(
                "the chaos stack's status is gone: " + layout.statusFile()));
    }

    /** A trivial study's workspace: a noise-free bowl, one second a run, so faults meet experiments in flight. */
    private static Path writeWorkspace(Path dir) throws IOException {
        Path workspace = dir.resolve("workspace");
        Files.createDirectories(workspace);
        Files.writeString(workspace.resolve("run.sh"), """
                sleep 1
                awk -v x="$SEEDLOOP_PARAM_X" -v y="$SEEDLOOP_PARAM_Y" 'BEGIN { printf "{\\"loss\\": %.6f}\\n", (x-1.5)^2 + (y-0.5)^2 }'
                """);
        Files.writeString(workspace.resolve("check.sh"), "test -f params.json\n");
        return dir;
    }

    /** The study's spec with its own seed, next to the workspace it names. */
    private static Path writeSpec(Path dir, int seed) throws IOException {
        Path spec = dir.resolve("study-" + seed + ".json");
        Files.writeString(spec, """
                {"name": "chaos bowl %d", "objective": {"metric": "loss", "direction": "minimize"},
                 "workspace": "workspace",
                 "searchSpace": [{"name": "x", "kind": "float", "low": 0, "high": 3},
                                 {"name": "y", "kind": "float", "low": 0, "high": 1}],
                 "experiment": {"command": ["sh", "run.sh"], "repeats": 1, "timeoutSeconds": 60,
                                "limits": {"memoryMiB": 256, "maxProcesses": 32}},
                 "validation": {"command": ["sh", "check.sh"]},
                 "protectedPaths": ["check.sh"],
                 "budget": {"maxExperiments": %d, "parallelism": %d, "maxWallSeconds": 7200},
                 "strategy": "default", "seed": %d}
                """.formatted(seed, EXPERIMENTS_PER_STUDY, PARALLELISM, seed), StandardCharsets.UTF_8);
        return spec;
    }

    private static Optional<String> unfit() {
        if (ProcessHandle.current().info().user().map(u -> !u.equals("root")).orElse(true)) {
            return Optional.of("it must run as root (it loop-mounts PostgreSQL's disk to fill it)");
        }
        for (String tool : List.of("mkfs.ext4", "mount", "umount", "fallocate", "kill")) {
            if (Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin").noneMatch(d -> Files.isExecutable(Path.of(d, tool)))) {
                return Optional.of(tool + " is missing");
            }
        }
        for (int port : List.of(StackLayout.GATEWAY_PORT, StackLayout.LEARNER_MANAGEMENT_PORT, StackLayout.KAFKA_PORT,
                StackLayout.POSTGRES_PORT, StackLayout.KEYCLOAK_PORT)) {
            if (!FreePorts.isFree(port)) {
                return Optional.of("port " + port + " is in use: stop the local stack first (./seedloop down)");
            }
        }
        return Optional.empty();
    }

    private static void unmount(Path mount) throws IOException, InterruptedException {
        if (Files.readString(Path.of("/proc/mounts")).contains(" " + mount + " ")) {
            shell("umount '" + mount + "' || umount -l '" + mount + "'");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        shell("kill -" + signal + " " + pid);
    }

    private static void shell(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("`" + command + "` failed: " + output);
        }
    }

    private void say(String line) {
        out.printf(Locale.ROOT, "[chaos %5.0f s] %s%n", seconds(started), line);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
