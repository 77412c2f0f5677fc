package dev.seedloop.implementer.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentsDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void openingRemovesWhatADeadRunLeftButNotKeptWorkspaces() throws Exception {
        Path data = tmp.resolve("data");
        Path leftover = data.resolve("experiments/6f1c-crashed");
        Files.createDirectories(leftover.resolve("out/locked"));
        Files.writeString(leftover.resolve("out/locked/model.bin"), "half");
        Files.setPosixFilePermissions(leftover.resolve("out/locked"), PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(leftover.resolve("out"), PosixFilePermissions.fromString("---------"));
        Files.createSymbolicLink(data.resolve("experiments/link"), tmp);
        Files.createDirectories(data.resolve("kept/finished"));

        try (ExperimentsDirectory directory = ExperimentsDirectory.open(data)) {
            assertThat(directory.experiments()).isEqualTo(data.toAbsolutePath().resolve("experiments"));
            try (var entries = Files.list(directory.experiments())) {
                assertThat(entries).isEmpty();
            }
            assertThat(tmp).as("the link was removed, not followed").exists();
            assertThat(data.resolve("kept/finished")).isDirectory();
            assertThat(Files.getPosixFilePermissions(directory.experiments()))
                    .as("the sandbox user must pass through").isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void oneInstancePerDataDirectory() throws Exception {
        Path data = tmp.resolve("data");
        try (ExperimentsDirectory first = ExperimentsDirectory.open(data)) {
            Files.createDirectories(first.experiments().resolve("running-now"));

            assertThatThrownBy(() -> ExperimentsDirectory.open(data)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("seedloop.implementer.data-dir");
            assertThat(first.experiments().resolve("running-now")).as("a second open deleted nothing").isDirectory();
        }
        ExperimentsDirectory.open(data).close();
    }

    @Test
    void keepingMovesAFinishedWorkspaceOutOfTheCleanedDirectory() throws Exception {
        try (ExperimentsDirectory directory = ExperimentsDirectory.open(tmp.resolve("data"))) {
            Path ws = Files.createDirectories(directory.experiments().resolve("exp-1"));
            Files.writeString(ws.resolve("log.txt"), "second run");
            Files.createDirectories(directory.kept().resolve("exp-1/old"));

            Path kept = directory.keep(ws);

            assertThat(kept).isEqualTo(directory.kept().resolve("exp-1"));
            assertThat(Files.readString(kept.resolve("log.txt"))).isEqualTo("second run");
            assertThat(kept.resolve("old")).doesNotExist();
            assertThat(ws).doesNotExist();
        }
    }

    @Test
    void volumesADeadRunLeftMountedAreUnmountedAndAKeptVolumeIsCopiedOut() throws Exception {
        Path data = tmp.resolve("data");
        Path base = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(base.resolve("run.sh"), "echo hi\n");
        Path experiments = data.toAbsolutePath().resolve("experiments");
        WorkspaceMaterializer materializer = new WorkspaceMaterializer(experiments, java.util.List.of(),
                Fixtures.volumes(experiments), 1L << 20);
        MaterializedWorkspace crashed = materializer.materialize(base, "crashed", java.util.Map.of());
        assertThat(DiskVolumes.isMounted(crashed.dir())).isTrue();

        try (ExperimentsDirectory directory = ExperimentsDirectory.open(data)) {
            assertThat(DiskVolumes.isMounted(crashed.dir())).isFalse();
            try (var entries = Files.list(directory.experiments())) {
                assertThat(entries).as("directory and image removed").isEmpty();
            }

            MaterializedWorkspace finished = materializer.materialize(base, "finished", java.util.Map.of());
            Files.writeString(finished.dir().resolve("result.txt"), "42\n");
            Path kept = directory.keep(finished.dir());

            assertThat(Files.readString(kept.resolve("result.txt"))).isEqualTo("42\n");
            assertThat(kept.resolve("run.sh")).exists();
            assertThat(DiskVolumes.isMounted(finished.dir())).isFalse();
            assertThat(finished.dir()).doesNotExist();
            assertThat(experiments.resolve("finished.img")).doesNotExist();
        }
    }
}
