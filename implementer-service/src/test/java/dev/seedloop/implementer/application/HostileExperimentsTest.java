package dev.seedloop.implementer.application;

import static dev.seedloop.implementer.application.Fixtures.FAST;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.FailureReason;
import dev.seedloop.events.ValidationSpec;
import dev.seedloop.implementer.domain.Outcome;
import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RunLimits;

/**
 * Experiments that attack the host (issue #15, "abuse contained"), each run as the implementer runs one: through
 * {@link ExperimentRunner}, in the real bubblewrap sandbox with the machine's control groups, ending as the
 * {@link Outcome} the implementer records as {@code ExperimentFailed} (or, for a forged result, as a failed
 * validation), with the host unaffected. Where it harms nothing of the machine's, the same attack also runs without
 * the sandbox ({@link ProcessExecutor}) and succeeds there: the probe finds what it looks for, so its failure inside
 * is isolation, not a wrong path. Attacks other suites prove already (TCP, fork and memory bombs, endless output,
 * ...) are listed with their tests in ADR 0019, "Proof: hostile experiments".
 *
 * <p>The network, read and write attacks report metrics only when they got through and exit 3 ("nothing stolen")
 * otherwise, so inside the sandbox each is a CRASHED experiment; the others end as the limit or rule that stopped
 * them says (TIMEOUT, BAD_METRICS, a protected path modified, a failed validation). Directories are under {@code /var/tmp}, not {@code /tmp}, which the
 * sandbox's private {@code /tmp} would hide whatever the sandbox did.
 */
class HostileExperimentsTest {

    /** The study's protected paths, as {@link ExperimentService#protectedGlobs} makes them of {@code eval/}. */
    private static final List<String> PROTECTED = List.of("eval", "eval/**");
    private static final String NOTHING_STOLEN = "exit code 3";
    /**
     * No attack waits for its timeout (but the spin, which sets its own), so a long one costs nothing; it keeps a
     * loaded machine from turning a slow probe, e.g. the unsandboxed scan of every host process, into a TIMEOUT.
     */
    private static final RunLimits ROOMY = FAST.withWallTimeout(Duration.ofSeconds(30));

    private Path tmp;
    private Path base;
    private WorkspaceMaterializer materializer;
    private BubblewrapExecutor bwrap;
    private final String id = UUID.randomUUID().toString().substring(0, 8);
    private final List<Path> planted = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        bwrap = Fixtures.bubblewrap();
        tmp = Fixtures.searchable(Files.createTempDirectory(Path.of("/var/tmp"), "seedloop-hostile-"));
        base = tmp.resolve("base");
        Files.createDirectories(base.resolve("eval"));
        Files.createDirectories(base.resolve("lib"));
        // The study's validation: protected eval/validate.sh, which asks an unprotected helper of the code.
        Files.writeString(base.resolve("eval/validate.sh"), "sh lib/quality.sh\n");
        Files.writeString(base.resolve("lib/quality.sh"), "echo 'accuracy 0.41, below 0.90' >&2; exit 1\n");
        materializer = new WorkspaceMaterializer(tmp.resolve("experiments"), PROTECTED);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Path p : planted) {
            FileTrees.deleteTree(p);
        }
        FileTrees.deleteTree(tmp);
    }

    // ---- network -------------------------------------------------------------------------------------------------

    /** TCP is {@link BubblewrapExecutorTest#noNetwork()}; here the resolver's transport, a DNS query over UDP. */
    @Test
    void aDnsLookupReachesNoResolver() throws Exception {
        Files.writeString(base.resolve("resolve.py"), """
                import socket, struct, sys
                host, port = sys.argv[1], int(sys.argv[2])
                name = b''.join(bytes([len(p)]) + p.encode() for p in 'seedloop-probe.example'.split('.'))
                query = struct.pack('>HHHHHH', 0x5eed, 0x0100, 1, 0, 0, 0) + name + b'\\0' + struct.pack('>HH', 1, 1)
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(5)  # the sandbox's own loopback refuses at once; a loaded host may answer late
                try:
                    s.sendto(query, (host, port))
                    answer = s.recv(512)
                except OSError as e:
                    print('no answer:', e, file=sys.stderr)
                    sys.exit(3)
                print('resolved to', '.'.join(str(b) for b in answer[-4:]), file=sys.stderr)
                print('{"score": 1}')
                """);
        try (DnsStub resolver = new DnsStub()) {
            String script = "python3 resolve.py 127.0.0.1 " + resolver.port();

            Outcome inside = run(bwrap, "dns", script, ROOMY);

            assertFailed(inside, FailureReason.CRASHED, NOTHING_STOLEN);
            assertThat(inside.logTail()).doesNotContain("resolved to");
            assertThat(resolver.queries()).as("no query left the sandbox").isZero();
            assertThat(run(new ProcessExecutor(), "dns-outside", script, ROOMY)).as("without the sandbox")
                    .isInstanceOfSatisfying(Outcome.Completed.class,
                            c -> assertThat(c.logTail()).contains("resolved to 10.9.8.7"));
            assertThat(resolver.queries()).as("the one query, from outside").isEqualTo(1);
        }
    }

    // ---- reads outside the workspace -----------------------------------------------------------------------------

    /**
     * Another study's experiment, running at the same time in the same data directory: neither its files (by path,
     * by glob, through {@code /proc/<pid>/root} or {@code cwd}) nor its processes ({@code /proc/<pid>/cmdline}).
     * {@link SandboxIsolationTest#aSiblingExperimentOfTheSameDataDirectoryIsInvisible()} covers an idle sibling.
     */
    @Test
    void anotherRunningStudysWorkspaceAndProcessesAreInvisible() throws Exception {
        String secret = "victim-secret-" + UUID.randomUUID();
        String marker = "victim-process-" + id;
        MaterializedWorkspace victim = materializer.materialize(base, "victim", Map.of());
        CompletableFuture<RawRun> victimRun = CompletableFuture.supplyAsync(() -> {
            try {
                return bwrap.run(Fixtures.sh(victim.dir(), "echo " + secret + " > secret.txt; touch ready;"
                        + " exec sh -c 'while [ ! -e stop ]; do sleep 0.05; done' " + marker,
                        ROOMY));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            awaitFile(victim.dir().resolve("ready"), victimRun);
            // The script names neither the secret nor the marker, and no pattern of it matches its own text (the
            // scan reads the attacker's command lines too); only what it found is printed (host command lines are long).
            String script = "V=" + victim.dir() + "; { cat $V/secret.txt ../victim/secret.txt ../*/secret.txt;"
                    + " for p in /proc/[0-9]*; do cat $p/root$V/secret.txt $p/cwd/secret.txt;"
                    + " tr '\\0' ' ' < $p/cmdline; echo; done; } > loot 2>/dev/null;"
                    + " grep -a -o 'victim-[a-z]*-[0-9a-f-]*' loot | sort -u;"
                    + " grep -q 'victim-secre[t]' loot || exit 3; echo '{\"score\": 1}'";

            Outcome inside = run(bwrap, "thief", script, ROOMY);

            assertFailed(inside, FailureReason.CRASHED, NOTHING_STOLEN);
            assertThat(inside.logTail()).doesNotContain(secret).doesNotContain(marker);
            Outcome outside = run(new ProcessExecutor(), "thief-outside", script, ROOMY);
            assertThat(outside).as("without the sandbox").isInstanceOf(Outcome.Completed.class);
            assertThat(outside.logTail()).contains(secret, marker);
        } finally {
            Files.writeString(victim.dir().resolve("stop"), "");
            assertThat(victimRun.get().exitCode()).as("the victim ran undisturbed").isZero();
        }
    }

    /**
     * What a deployed service holds: secrets in its process environment (a stand-in service process; pid namespaces hide
     * every host process alike) and in files ({@code /etc}, {@code /run/secrets} as container platforms mount them). The files are
     * world-readable here, so nothing but their absence keeps them from the sandbox user. That the service's own
     * environment is not passed on is {@link BubblewrapExecutorTest#environmentIsMinimal()}.
     */
    @Test
    void theServicesEnvironmentAndSecretFilesAreUnreadable() throws Exception {
        String secret = "db-password-" + UUID.randomUUID();
        String marker = "service-stand-in-" + id;
        Path etcSecret = plant(Path.of("/etc/seedloop-hostile-" + id + ".env"), "SEEDLOOP_DB_PASSWORD=" + secret);
        Path runSecret = plant(Path.of("/run/secrets-seedloop-hostile-" + id, "db-password"), secret);
        ProcessBuilder service = new ProcessBuilder("sh", "-c", "while :; do sleep 1; done", marker)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        service.environment().put("SEEDLOOP_DB_PASSWORD", secret);
        Process stand = service.start();
        try {
            String script = "{ env; cat " + etcSecret + " " + runSecret + " /proc/[0-9]*/environ; } 2>/dev/null"
                    + " | tr '\\0' '\\n' | grep -a 'db-passwor[d]-' | sort -u > loot; cat loot;"
                    + " test -s loot || exit 3; echo '{\"score\": 1}'";

            Outcome inside = run(bwrap, "snoop", script, ROOMY);

            assertFailed(inside, FailureReason.CRASHED, NOTHING_STOLEN);
            assertThat(inside.logTail()).doesNotContain(secret);
            Outcome outside = run(new ProcessExecutor(), "snoop-outside", script, ROOMY);
            assertThat(outside).as("without the sandbox").isInstanceOf(Outcome.Completed.class);
            assertThat(outside.logTail()).contains("SEEDLOOP_DB_PASSWORD=" + secret);
        } finally {
            stand.destroyForcibly().waitFor();
        }
    }

    // ---- writes outside the workspace ----------------------------------------------------------------------------

    /**
     * Existing host files: a sibling experiment's result, a stand-in of the evaluator's installation and a file in
     * the host's {@code /var/tmp}; appended to, truncated, replaced and deleted. Creating new files in {@code /},
     * {@code /usr} and beside the workspace is {@link SandboxIsolationTest#theRootIsReadOnlyAndTmpIsPrivate()} and
     * {@link BubblewrapExecutorTest#cannotWriteOutsideTheWorkspace()}.
     */
    @Test
    void writesToHostFilesFailAndLeaveThemUnchanged() throws Exception {
        Path sibling = Files.createDirectories(tmp.resolve("experiments/sibling"));
        List<Path> targets = List.of(Files.writeString(sibling.resolve("result.json"), "{\"score\": 5}\n"),
                Files.writeString(Files.createDirectories(tmp.resolve("opt/evaluator-service")).resolve("evaluate.sh"),
                        "exit 1\n"),
                Files.writeString(tmp.resolve("host-file.txt"), "the host's\n"));
        for (Path t : targets) {
            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        StringBuilder script = new StringBuilder("n=0;");
        for (Path t : targets) {
            script.append(" echo forged >> ").append(t).append(" && n=$((n+1)); truncate -s 0 ").append(t)
                    .append(" && n=$((n+1)); mv ").append(t).append(' ').append(t).append(".moved && n=$((n+1)); rm ")
                    .append(t).append(" && n=$((n+1));");
        }
        script.append(" echo \"$n writes got through\"; [ $n -gt 0 ] || exit 3; echo '{\"score\": 0}'");

        Outcome inside = run(bwrap, "vandal", script.toString(), ROOMY);

        assertFailed(inside, FailureReason.CRASHED, NOTHING_STOLEN);
        assertThat(inside.logTail()).contains("0 writes got through");
        assertThat(Files.readString(targets.get(0))).isEqualTo("{\"score\": 5}\n");
        assertThat(Files.readString(targets.get(1))).isEqualTo("exit 1\n");
        assertThat(Files.readString(targets.get(2))).isEqualTo("the host's\n");
        assertThat(run(new ProcessExecutor(), "vandal-outside", script.toString(), ROOMY)).as("without the sandbox")
                .isInstanceOf(Outcome.Completed.class);
        assertThat(targets).as("the same script, unsandboxed, deleted them").allSatisfy(t -> assertThat(t).doesNotExist());
    }

    /**
     * The service reads and deletes the workspace as root after the run: links the experiment plants there must lead
     * it nowhere. {@code metrics.json} linked to a host file that holds perfect metrics (readable only by root) is
     * not read, so the experiment reported none; releasing the workspace deletes the links, not what they name.
     */
    @Test
    void linksTheExperimentPlantsLeadTheServiceNowhere() throws Exception {
        Path host = Files.createDirectories(tmp.resolve("host/dir"));
        Path secret = Files.writeString(host.getParent().resolve("secret-metrics.json"), "{\"score\": 123.5}\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Path kept = Files.writeString(host.resolve("keep.txt"), "the host's\n");
        String script = "ln -s " + secret + " metrics.json && ln -s " + host + " trap && ln -s " + kept
                + " victim.txt && echo planted";
        MaterializedWorkspace ws = materializer.materialize(base, "linker", Map.of());

        Outcome outcome = new ExperimentRunner(bwrap, materializer).run(ws, plan(script, ROOMY));
        WorkspaceMaterializer.release(ws.dir());

        assertFailed(outcome, FailureReason.BAD_METRICS, "no metrics");
        assertThat(outcome.logTail()).contains("planted");
        assertThat(ws.dir()).doesNotExist();
        assertThat(Files.readString(secret)).isEqualTo("{\"score\": 123.5}\n");
        assertThat(Files.readString(kept)).isEqualTo("the host's\n");
    }

    // ---- processes -----------------------------------------------------------------------------------------------

    /**
     * A command that starts daemons four ways (setsid, nohup, a double fork, {@code setsid -f}; each ignoring the
     * hang-up and termination signals) and returns at once, leaving them to deliver later: none of them is alive
     * when the run returns. Each daemon says it started (so the command returned with all four running) and would,
     * once it is told to go, write a marker: unsandboxed they do, which proves they would have outlived it.
     */
    @Test
    void daemonsThatTryToOutliveTheExperimentAreGoneWhenItEnds() throws Exception {
        List<String> names = List.of("setsid", "nohup", "double-fork", "setsid-f").stream()
                .map(n -> "daemon-" + n + "-" + id).toList();
        String daemon = "'trap \"\" HUP INT TERM; touch started-$0; while [ ! -e go ]; do sleep 0.05; done;"
                + " touch outlived-$0; while :; do sleep 0.05; done'";
        String quiet = " </dev/null >/dev/null 2>&1";
        String script = "setsid sh -c " + daemon + " " + names.get(0) + quiet + " &"
                + " nohup sh -c " + daemon + " " + names.get(1) + quiet + " &"
                + " ( sh -c " + daemon + " " + names.get(2) + quiet + " & ) ;"
                + " setsid -f sh -c " + daemon + " " + names.get(3) + quiet + ";"
                + " for n in " + String.join(" ", names) + "; do while [ ! -e started-$n ]; do sleep 0.02; done; done;"
                + " echo all-started";

        try {
            MaterializedWorkspace ws = materializer.materialize(base, "daemons", Map.of());
            Outcome inside = new ExperimentRunner(bwrap, materializer).run(ws, plan(script, ROOMY));

            assertFailed(inside, FailureReason.BAD_METRICS, "no metrics");
            assertThat(inside.logTail()).contains("all-started");
            assertThat(names).allSatisfy(n -> assertThat(ws.dir().resolve("started-" + n)).exists());
            assertThat(names).as("gone when the run returned")
                    .allSatisfy(n -> assertThat(Fixtures.processesWith(n)).isEmpty());

            MaterializedWorkspace outsideWs = materializer.materialize(base, "daemons-outside", Map.of());
            new ExperimentRunner(new ProcessExecutor(), materializer).run(outsideWs, plan(script, ROOMY));
            assertThat(names).as("unsandboxed they outlive the run")
                    .allSatisfy(n -> assertThat(Fixtures.processesWith(n)).isNotEmpty());
            Files.writeString(outsideWs.dir().resolve("go"), "");
            for (String n : names) {
                awaitFile(outsideWs.dir().resolve("outlived-" + n), null);
            }
        } finally {
            names.forEach(Fixtures::killAllWith);
        }
    }

    /**
     * CPU spinners, one detached by setsid, under a CPU limit far beyond the wall timeout: the wall timeout ends the
     * experiment (TIMEOUT) and no spinner is left. {@link ExperimentRunnerTest#hangIsTimeout()} is the sleeping case.
     */
    @Test
    void aCpuSpinPastTheTimeoutIsATimeoutAndNoSpinnerIsLeft() throws Exception {
        String spinner = "spinner-" + id;
        String spin = "'touch spinning-$$; while :; do :; done' " + spinner;
        String script = "sh -c " + spin + " & setsid sh -c " + spin + " </dev/null >/dev/null 2>&1 &"
                + " while [ $(ls | grep -c spinning-) -lt 2 ]; do sleep 0.02; done; echo spinning; wait";

        try {
            Outcome inside = run(bwrap, "spin", script, FAST.withWallTimeout(Duration.ofSeconds(2)).withCpuSeconds(60));

            assertFailed(inside, FailureReason.TIMEOUT, "timed out after");
            assertThat(inside.logTail()).contains("spinning");
            assertThat(Fixtures.processesWith(spinner)).isEmpty();
        } finally {
            Fixtures.killAllWith(spinner);
        }
    }

    // ---- the verdict ---------------------------------------------------------------------------------------------

    /**
     * The experiment forges a perfect result (score 0 of a minimised objective) and tries to make the failing
     * validation pass: it edits the protected validation script in place (every edit fails: it is bound read-only)
     * and rewrites the unprotected helper the script runs (that edit lands in its workspace). The validation runs in
     * a fresh workspace of the experiment's code (ADR 0020), so it still fails: the experiment is completed with a
     * failed validation, which the evaluator judges INVALID, never a champion
     * ({@code EvaluationDeciderTest#aForgedPerfectMetricWithAFailedValidationIsInvalidAndTheChampionStays}). The
     * same validation run in the experiment's own workspace passes: the edit would have worked there.
     */
    @Test
    void aForgedPerfectMetricAndEditedValidationFilesStillEndAsAFailedValidation() throws Exception {
        String script = "echo 'exit 0' > eval/validate.sh; truncate -s 0 eval/validate.sh; rm -f eval/validate.sh;"
                + " chmod 777 eval/validate.sh; echo 'exit 0' > lib/quality.sh; echo '{\"score\": 0.0}'";
        ValidationSpec validation = new ValidationSpec(List.of("sh", "eval/validate.sh"), null, null, 0.05);
        WorkspaceContent code = materializer.legacy(base, List.of());
        MaterializedWorkspace ws = materializer.materialize(code, "forger", Map.of());
        ExperimentPlan plan = new ExperimentPlan(List.of(), List.of("sh", "-c", script), 2, 7, "score", ROOMY, Map.of(),
                new ExperimentPlan.ValidationInput(validation, code, Map.of(), null));

        Outcome outcome = new ExperimentRunner(bwrap, materializer).run(ws, plan);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Completed.class, completed -> {
            assertThat(completed.repeats()).allSatisfy(r -> assertThat(r.metrics()).containsEntry("score", 0.0));
            assertThat(completed.validation().passed()).isFalse();
            assertThat(completed.validation().detail()).isEqualTo("validation exited with 1");
            assertThat(completed.validation().logTail()).contains("accuracy 0.41, below 0.90");
            assertThat(completed.logTail()).contains("Read-only file system");
        });
        assertThat(Files.readString(ws.dir().resolve("eval/validate.sh"))).isEqualTo("sh lib/quality.sh\n");
        RawRun inPlace = bwrap.run(Fixtures.sh(ws.dir(), "sh eval/validate.sh", ROOMY));
        assertThat(inPlace.exitCode()).as("the validation in the experiment's own workspace").isZero();
    }

    /**
     * The protected file cannot be edited where it is bound, so the experiment moves its directory away and plants
     * a passing validation script where the old one was: a changed protected path, so the experiment fails before
     * any validation runs.
     */
    @Test
    void replacingTheProtectedValidationDirectoryFailsTheExperiment() throws Exception {
        String script = "mv eval eval.orig && mkdir eval && echo 'exit 0' > eval/validate.sh && echo replaced;"
                + " echo '{\"score\": 0.0}'";

        Outcome outcome = run(bwrap, "replacer", script, ROOMY);

        assertFailed(outcome, FailureReason.CRASHED, "protected path modified: eval/validate.sh");
        assertThat(outcome.logTail()).contains("replaced");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private Outcome run(ExperimentExecutor executor, String name, String script, RunLimits limits) throws Exception {
        MaterializedWorkspace ws = materializer.materialize(base, name, Map.of());
        return new ExperimentRunner(executor, materializer).run(ws, plan(script, limits));
    }

    private static ExperimentPlan plan(String script, RunLimits limits) {
        return new ExperimentPlan(List.of(), List.of("sh", "-c", script), 1, 7, "score", limits);
    }

    private static void assertFailed(Outcome outcome, FailureReason reason, String detail) {
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).as(failed.detail() + "\n" + failed.logTail()).isEqualTo(reason);
            assertThat(failed.detail()).startsWith(detail);
        });
    }

    /** A world-readable secret file at {@code file} (its new directory too), removed after the test. */
    private Path plant(Path file, String content) throws IOException {
        Path top = Files.exists(file.getParent()) ? file : file.getParent();
        Files.createDirectories(file.getParent());
        planted.add(top);
        Files.writeString(file, content + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** Waits for a file a process writes when it got somewhere; fails when {@code run} ended first or after 10 s. */
    private static void awaitFile(Path file, CompletableFuture<RawRun> run) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(file)) {
            if (run != null && run.isDone()) {
                throw new AssertionError("ended before writing " + file + ": " + run.get().logTail());
            }
            assertThat(System.nanoTime()).as("waiting for " + file).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** A resolver on this host's loopback answering every query with 10.9.8.7, counting the queries it got. */
    private static final class DnsStub implements AutoCloseable {

        private final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        private final AtomicInteger queries = new AtomicInteger();

        DnsStub() throws IOException {
            Thread.ofPlatform().daemon().name("dns-stub").start(this::serve);
        }

        int port() {
            return socket.getLocalPort();
        }

        int queries() {
            return queries.get();
        }

        private void serve() {
            byte[] buf = new byte[512];
            while (!socket.isClosed()) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(in);
                    queries.incrementAndGet();
                    byte[] query = Arrays.copyOf(in.getData(), in.getLength());
                    ByteBuffer answer = ByteBuffer.allocate(query.length + 16).put(query);
                    // A response (QR, RD, RA), one answer: a pointer to the question's name, A, IN, TTL 60, 4 bytes.
                    answer.putShort(2, (short) 0x8180).putShort(6, (short) 1);
                    answer.put(new byte[] {(byte) 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 9, 8, 7});
                    socket.send(new DatagramPacket(answer.array(), answer.position(), in.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
