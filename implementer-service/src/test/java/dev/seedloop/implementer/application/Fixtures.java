package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.seedloop.implementer.domain.RunLimits;
import dev.seedloop.implementer.domain.RunRequest;

/** Shared helpers for tests that run real processes. */
public final class Fixtures {

    static final RunLimits FAST = RunLimits.defaults().withWallTimeout(Duration.ofSeconds(3))
            .withCpuSeconds(5).withMemoryMiB(512).withMaxProcesses(64).withMaxOutputBytes(1024 * 1024);
    /**
     * The wall timeout of a run whose test is about another limit: on a loaded 2-core machine one CPU second of a spin
     * loop can take far more than FAST's 3 s of wall time, and the wall timeout would then win the race. The run ends
     * at its own limit long before this.
     */
    static final Duration UNHURRIED = Duration.ofSeconds(60);

    private Fixtures() {
    }

    /** JUnit temp dirs are 0700; the sandbox uid must be able to reach workspaces below them. */
    static Path searchable(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    static Path workspace(Path tempDir) throws IOException {
        Path ws = searchable(tempDir).resolve("ws");
        Files.createDirectories(ws);
        return searchable(ws);
    }

    static RunRequest sh(Path ws, String script, RunLimits limits) {
        return new RunRequest(ws, List.of("sh", "-c", script), Map.of(), limits);
    }

    /**
     * The bubblewrap executor. A missing or broken bwrap fails the test: nothing is skipped, or a machine
     * without the sandbox would report the sandbox tests as passed.
     */
    static BubblewrapExecutor bubblewrap() {
        requireProgram("bwrap", "the sandbox tests need bubblewrap: apt-get install bubblewrap (.ci/run installs it)");
        assertThat(PrlimitCommand.prlimitAvailable()).as("the sandbox tests need " + PrlimitCommand.PRLIMIT
                + " (util-linux): apt-get install util-linux").isTrue();
        Optional<BubblewrapExecutor> executor = ExecutorSelector.bubblewrap();
        assertThat(executor).as("bwrap is installed but its probe failed: it cannot create namespaces here").isPresent();
        return executor.get().withControlGroups(controlGroups());
    }

    /**
     * This machine's cgroup v1 memory and pids controllers, for tests. Not writable fails the test (like a
     * missing bwrap): whole-experiment limits are part of the sandbox.
     */
    static ControlGroups controlGroups() {
        ControlGroups.Result groups = ControlGroups.open(Path.of("/sys/fs/cgroup"), "seedloop-implementer-tests");
        assertThat(groups.available()).as("cgroup v1 memory and pids controllers must be writable under"
                + " /sys/fs/cgroup for the sandbox tests (run them as root): %s", groups.problem()).isPresent();
        return groups.groups();
    }

    /** Disk quota volumes below {@code experiments}; unavailable fails the test, saying why. */
    static DiskVolumes volumes(Path experiments) throws IOException {
        Files.createDirectories(experiments);
        DiskVolumes.Result volumes = DiskVolumes.open(experiments);
        assertThat(volumes.available()).as("disk quota volumes need root and e2fsprogs: %s", volumes.problem())
                .isPresent();
        return volumes.volumes();
    }

    static void requireBash() {
        requireProgram("bash", "this test needs bash for /dev/tcp: apt-get install bash");
    }

    /** Fails (never skips) when {@code program} is not on the PATH, saying how to get it. */
    static void requireProgram(String program, String why) {
        assertThat(BubblewrapExecutor.which(program)).as("%s is not on the PATH (%s); %s", program,
                System.getenv("PATH"), why).isPresent();
    }

    /** Processes whose arguments contain {@code marker}, e.g. a unique sleep duration. */
    public static List<ProcessHandle> processesWith(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .toList();
    }

    /** Kills what {@link #processesWith} finds: what a test started must not outlive it, even when the test fails. */
    public static void killAllWith(String marker) {
        processesWith(marker).forEach(ProcessHandle::destroyForcibly);
    }
}
