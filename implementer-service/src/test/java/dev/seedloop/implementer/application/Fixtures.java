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

import org.junit.jupiter.api.Assumptions;

import dev.seedloop.implementer.domain.ResourceLimits;
import dev.seedloop.implementer.domain.RunRequest;

/** Shared helpers for tests that run real processes. */
public final class Fixtures {

    static final ResourceLimits FAST = ResourceLimits.defaults().withWallTimeout(Duration.ofSeconds(3))
            .withCpuSeconds(5).withMemoryMiB(512).withMaxProcesses(64).withMaxOutputBytes(1024 * 1024);

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

    static RunRequest sh(Path ws, String script, ResourceLimits limits) {
        return new RunRequest(ws, List.of("sh", "-c", script), Map.of(), limits);
    }

    /**
     * Skips only when bwrap is not installed on a developer's machine; in CI (which installs it) its
     * absence fails, and a present but broken bwrap always fails.
     */
    static BubblewrapExecutor bubblewrap() {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(BubblewrapExecutor.which("bwrap")).as("CI must have bubblewrap (.ci/run installs it)").isPresent();
        }
        Assumptions.assumeTrue(BubblewrapExecutor.which("bwrap").isPresent(),
                "bubblewrap is not installed (apt-get install bubblewrap)");
        Optional<BubblewrapExecutor> executor = ExecutorSelector.bubblewrap();
        assertThat(executor).as("bwrap is installed but its probe failed").isPresent();
        return executor.get();
    }

    static void assumeBash() {
        Assumptions.assumeTrue(BubblewrapExecutor.which("bash").isPresent(), "bash is needed for /dev/tcp");
    }

    /** Processes whose arguments contain {@code marker}, e.g. a unique sleep duration. */
    public static List<ProcessHandle> processesWith(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .toList();
    }
}
