package dev.seedloop.artifacts;

import static dev.seedloop.artifacts.LocalFiles.executable;
import static dev.seedloop.artifacts.LocalFiles.write;
import static dev.seedloop.artifacts.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

class TreePackerTest {

    private static final ArchiveLimits LIMITS = new ArchiveLimits(64L << 20, 1000, 16L << 20, 100);

    @TempDir
    Path dir;

    private final TreePacker packer = new TreePacker(LIMITS);

    @Test
    void packThenImportGivesTheSameTreeHash() throws Exception {
        write(dir, "src/main.py", "print('hi')\n");
        write(dir, "caf\u00e9/menu.txt", "soup\n");
        executable(dir, "run.sh", "#!/bin/sh\nexec python3 src/main.py\n");
        write(dir, "deep/" + "d/".repeat(60) + "long-name-" + "x".repeat(120) + ".txt", "long\n");
        write(dir, "empty", "");
        Files.createSymbolicLink(dir.resolve("src/alias.py"), Path.of("main.py"));
        Files.createSymbolicLink(dir.resolve("up"), Path.of("src/../run.sh"));

        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        Tree packed = packer.pack(dir, archive);
        InMemoryArtifactStore store = new InMemoryArtifactStore();
        Tree imported = new ArchiveImport(store, LIMITS).importArchive(new ByteArrayInputStream(archive.toByteArray()));

        assertThat(imported.hash()).isEqualTo(packed.hash()).isEqualTo(packer.tree(dir).hash());
        assertThat(imported.entries()).isEqualTo(packed.entries());
        assertThat(packed.entry(TreePath.of("run.sh")).orElseThrow().kind()).isEqualTo(TreeEntry.Kind.EXECUTABLE);
        assertThat(packed.entry(TreePath.of("src/alias.py")).orElseThrow().kind()).isEqualTo(TreeEntry.Kind.SYMLINK);
    }

    @Test
    void theArchiveIsReproducible() throws Exception {
        write(dir, "a.txt", "alpha\n");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        packer.pack(dir, first);
        Files.setLastModifiedTime(dir.resolve("a.txt"), java.nio.file.attribute.FileTime.fromMillis(12345));
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        packer.pack(dir, second);
        assertThat(second.toByteArray()).isEqualTo(first.toByteArray());
    }

    @Test
    void honoursTheIgnoreFileAndSkipsGit() throws Exception {
        write(dir, ".seedloopignore", "target/\n*.pyc\n!keep.pyc\n");
        write(dir, "src/a.py", "a\n");
        write(dir, "src/a.pyc", "compiled\n");
        write(dir, "keep.pyc", "kept\n");
        write(dir, "target/classes/A.class", "x\n");
        write(dir, ".git/HEAD", "ref: refs/heads/main\n");

        assertThat(packer.tree(dir).entries()).extracting(e -> e.path().value())
                .containsExactly(".seedloopignore", "keep.pyc", "src/a.py");
    }

    @Test
    void refusesALinkLeavingTheDirectoryAndNeverFollowsIt(@TempDir Path outside) throws Exception {
        write(outside, "secret", "s3cret\n");
        Files.createSymbolicLink(dir.resolve("escape"), outside.resolve("secret"));
        refused(Reason.SYMLINK_ESCAPES, () -> packer.tree(dir));

        Files.delete(dir.resolve("escape"));
        Files.createSymbolicLink(dir.resolve("up"), Path.of("../" + outside.getFileName() + "/secret"));
        refused(Reason.SYMLINK_ESCAPES, () -> packer.tree(dir));
    }

    @Test
    void refusesAFifoWithoutOpeningIt() throws Exception {
        write(dir, "a.txt", "alpha\n");
        LocalFiles.mkfifo(dir.resolve("tests/pipe"));
        // Opening the FIFO for reading would block this test for ever; the walk must refuse it first.
        refused(Reason.FIFO, () -> packer.tree(dir));
    }

    @Test
    void refusesFilesOverTheLimitsBeforeSendingThem() throws Exception {
        TreePacker strict = new TreePacker(new ArchiveLimits(10, 2, 5, 100));
        write(dir, "big", "123456");
        refused(Reason.LIMIT_EXCEEDED, () -> strict.tree(dir));
    }

    @Test
    void refusesNamesThatAreNotPortablePaths() throws Exception {
        write(dir, "a\\b", "x");
        refused(Reason.BACKSLASH, () -> packer.tree(dir));
    }
}
