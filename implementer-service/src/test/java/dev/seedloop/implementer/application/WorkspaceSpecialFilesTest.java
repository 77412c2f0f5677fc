package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.events.FailureReason;
import dev.seedloop.events.FilePatch;
import dev.seedloop.implementer.domain.Outcome;

/**
 * What a hostile base workspace or experiment can plant for the implementer, which runs as root: FIFOs that
 * would block it on open, and links that would make it write outside the workspace.
 */
class WorkspaceSpecialFilesTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private Path base;
    private WorkspaceMaterializer materializer;
    private final List<Path> fifos = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        base = tmp.resolve("base");
        Files.createDirectories(base.resolve("tests"));
        Files.writeString(base.resolve("run.sh"), "echo hi\n");
        Files.writeString(base.resolve("tests/test_x.py"), "assert True\n");
        materializer = new WorkspaceMaterializer(tmp.resolve("experiments"), List.of("tests", "tests/**"));
    }

    /** A reader blocked on one of our FIFOs (only before the fix) is released, so the JVM can end. */
    @AfterEach
    void releaseBlockedReaders() throws Exception {
        for (Path fifo : fifos) {
            if (Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)) {
                new ProcessBuilder("timeout", "1", "sh", "-c", ": > '" + fifo + "'").start().waitFor(2, TimeUnit.SECONDS);
            }
        }
    }

    private Path mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor()).as("mkfifo (coreutils) works").isZero();
        fifos.add(path);
        return path;
    }

    @Test
    void aFifoInTheBaseWorkspaceIsRefusedWithoutBeingOpened() throws Exception {
        mkfifo(base.resolve("tests/pipe"));

        assertTimeoutPreemptively(PROMPTLY, () -> assertThatThrownBy(() ->
                materializer.materialize(base, "exp-fifo", Map.of("x", 1)))
                .isInstanceOf(IOException.class).hasMessageContaining("tests/pipe").hasMessageContaining("FIFO"));
    }

    @Test
    void aFifoTheExperimentPlantsUnderAProtectedPathIsAViolationNotAHang() throws Exception {
        MaterializedWorkspace ws = materializer.materialize(base, "exp-plant", Map.of("x", 1));
        mkfifo(ws.dir().resolve("tests/pipe"));

        List<String> violations = assertTimeoutPreemptively(PROMPTLY, () -> materializer.protectedViolations(ws));

        assertThat(violations).containsExactly("tests/pipe");
        assertThat(assertTimeoutPreemptively(PROMPTLY, () -> WorkspaceMaterializer.contentHash(ws.dir())))
                .isEqualTo(ws.contentHash());
    }

    @Test
    void anExperimentMakingAFifoUnderAProtectedDirectoryInTheSandboxFailsPromptly() throws Exception {
        Fixtures.searchable(tmp);
        MaterializedWorkspace ws = materializer.materialize(base, "exp-sandboxed", Map.of("x", 1));
        fifos.add(ws.dir().resolve("tests/pipe"));
        ExperimentPlan plan = new ExperimentPlan(List.of(), List.of("sh", "-c",
                "mkfifo tests/pipe && echo planted; echo '{\"score\": 1}'"), 1, 3, "score", Fixtures.FAST);

        Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> new ExperimentRunner(Fixtures.bubblewrap(), materializer).run(ws, plan));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(FailureReason.CRASHED);
            assertThat(failed.detail()).isEqualTo("protected path modified: tests/pipe");
            assertThat(failed.logTail()).contains("planted");
        });
    }

    @Test
    void aSymlinkedParamsJsonInTheBaseLeavesTheFileItPointsToUntouched() throws Exception {
        Path outside = Files.writeString(tmp.resolve("precious.conf"), "do not overwrite\n");
        Files.createSymbolicLink(base.resolve("params.json"), outside);

        MaterializedWorkspace ws = materializer.materialize(base, "exp-link", Map.of("x", 1));

        assertThat(Files.readString(outside)).isEqualTo("do not overwrite\n");
        Path params = ws.dir().resolve("params.json");
        assertThat(Files.isSymbolicLink(params)).isFalse();
        assertThat(Files.isRegularFile(params, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.readString(params)).isEqualTo("{\"x\":1}");
    }

    @Test
    void aPatchThroughALinkedDirectoryNeitherWritesNorDeletesOutside() throws Exception {
        Path outsideDir = Files.createDirectories(tmp.resolve("elsewhere"));
        Path victim = Files.writeString(outsideDir.resolve("victim.txt"), "keep me\n");
        Files.createSymbolicLink(base.resolve("lib"), outsideDir);
        Files.createSymbolicLink(base.resolve("model.py"), victim);

        assertThatThrownBy(() -> materializer.materialize(base, "exp-w", Map.of(),
                List.of(new FilePatch("lib/planted.txt", "pwned\n"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lib");
        assertThatThrownBy(() -> materializer.materialize(base, "exp-d", Map.of(),
                List.of(new FilePatch("lib/victim.txt", null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lib");
        MaterializedWorkspace replaced = materializer.materialize(base, "exp-f", Map.of(),
                List.of(new FilePatch("model.py", "print('patched')\n")));

        assertThat(outsideDir.resolve("planted.txt")).doesNotExist();
        assertThat(Files.readString(victim)).isEqualTo("keep me\n");
        assertThat(Files.isSymbolicLink(replaced.dir().resolve("model.py"))).isFalse();
        assertThat(Files.readString(replaced.dir().resolve("model.py"))).isEqualTo("print('patched')\n");
    }
}
