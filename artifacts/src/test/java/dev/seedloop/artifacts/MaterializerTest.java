package dev.seedloop.artifacts;

import static dev.seedloop.artifacts.LocalFiles.executable;
import static dev.seedloop.artifacts.LocalFiles.write;
import static dev.seedloop.artifacts.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

class MaterializerTest {

    private static final ArchiveLimits LIMITS = new ArchiveLimits(64L << 20, 1000, 16L << 20, 100);

    @TempDir
    Path work;

    private final InMemoryArtifactStore store = new InMemoryArtifactStore();
    private final Materializer materializer = new Materializer(store);
    private final TreeCapture capture = new TreeCapture(store, LIMITS);

    @Test
    void writesATreeWithItsModesAndLinksAndCapturesItBackToTheSameHash() throws Exception {
        Path source = work.resolve("source");
        write(source, "src/main.py", "print('hi')\n");
        executable(source, "run.sh", "#!/bin/sh\n");
        Files.createSymbolicLink(source.resolve("src/alias.py"), Path.of("main.py"));
        Tree tree = capture.capture(source);

        Path target = work.resolve("target");
        materializer.materialize(tree, target);

        assertThat(Files.readString(target.resolve("src/main.py"))).isEqualTo("print('hi')\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("run.sh"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("src/main.py"))))
                .isEqualTo("rw-r--r--");
        assertThat(Files.isSymbolicLink(target.resolve("src/alias.py"))).isTrue();
        assertThat(Files.readSymbolicLink(target.resolve("src/alias.py"))).isEqualTo(Path.of("main.py"));
        assertThat(capture.capture(target).hash()).isEqualTo(tree.hash());
        assertThat(new TreePacker(LIMITS).tree(target).hash()).isEqualTo(tree.hash());
    }

    @Test
    void refusesATargetThatIsNotEmptySoNothingIsWrittenThroughWhatIsThere(@TempDir Path outside) throws Exception {
        BlobRef blob = store.putText("{\"x\": 1}");
        Tree tree = Tree.of(List.of(new TreeEntry(TreePath.of("params.json"), TreeEntry.Kind.FILE, blob.hash(),
                blob.size())));
        store.putTree(tree);
        Path target = work.resolve("target");
        Files.createDirectory(target);
        Path victim = write(outside, "victim", "untouched\n");
        Files.createSymbolicLink(target.resolve("params.json"), victim);

        assertThatThrownBy(() -> materializer.materialize(tree, target)).isInstanceOf(DirectoryNotEmptyException.class);
        assertThat(Files.readString(victim)).isEqualTo("untouched\n");
    }

    @Test
    void neverWritesThroughALinkOfTheTreeItself() throws Exception {
        // A tree cannot hold a file below a link (Tree refuses it), and links are created last, so even a tree whose
        // link names a directory of the tree gets its files written as plain files first.
        BlobRef target = store.putText("data");
        BlobRef content = store.putText("x\n");
        Tree tree = Tree.of(List.of(
                new TreeEntry(TreePath.of("data/a.txt"), TreeEntry.Kind.FILE, content.hash(), content.size()),
                new TreeEntry(TreePath.of("link"), TreeEntry.Kind.SYMLINK, target.hash(), target.size())));
        store.putTree(tree);
        Path dir = work.resolve("t");
        materializer.materialize(tree, dir);
        assertThat(Files.isSymbolicLink(dir.resolve("link"))).isTrue();
        assertThat(Files.isRegularFile(dir.resolve("data/a.txt"), LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void captureRefusesALinkLeavingTheDirectoryWithoutReadingThroughIt(@TempDir Path outside) throws Exception {
        Path ran = work.resolve("ran");
        write(ran, "out.txt", "1\n");
        write(outside, "secret", "s3cret\n");
        Files.createSymbolicLink(ran.resolve("steal"), outside.resolve("secret"));
        refused(Reason.SYMLINK_ESCAPES, () -> capture.capture(ran));
        assertThat(store.hasBlob(Digests.of("s3cret\n".getBytes()))).isFalse();
    }

    @Test
    void captureRefusesAFifoInsteadOfBlockingOnIt() throws Exception {
        Path ran = work.resolve("ran");
        write(ran, "out.txt", "1\n");
        LocalFiles.mkfifo(ran.resolve("tests/pipe"));
        refused(Reason.FIFO, () -> capture.capture(ran));
    }

    @Test
    void captureDoesNotDescendIntoALinkedDirectory(@TempDir Path outside) throws Exception {
        Path ran = work.resolve("ran");
        write(ran, "sub/ok.txt", "ok\n");
        write(outside, "secret", "s3cret\n");
        Files.createSymbolicLink(ran.resolve("sub/inside"), Path.of("."));
        Tree tree = capture.capture(ran);
        assertThat(tree.entries()).extracting(e -> e.path().value()).containsExactly("sub/inside", "sub/ok.txt");
    }

    @Test
    void captureHoldsTheExperimentToTheLimits() throws Exception {
        Path ran = work.resolve("ran");
        write(ran, "a", "123456");
        refused(Reason.LIMIT_EXCEEDED, () -> new TreeCapture(store, new ArchiveLimits(100, 10, 5, 1)).capture(ran));
        write(ran, "b", "1");
        write(ran, "c", "1");
        refused(Reason.LIMIT_EXCEEDED, () -> new TreeCapture(store, new ArchiveLimits(100, 2, 50, 1)).capture(ran));
    }
}
