package dev.seedloop.artifacts;

import static dev.seedloop.artifacts.Archives.file;
import static dev.seedloop.artifacts.Archives.special;
import static dev.seedloop.artifacts.Archives.tarGz;
import static dev.seedloop.artifacts.Archives.zip;
import static dev.seedloop.artifacts.Archives.zipFile;
import static dev.seedloop.artifacts.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.junit.jupiter.api.Test;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

class ArchiveImportTest {

    private static final int MIB = 1024 * 1024;

    private final InMemoryArtifactStore store = new InMemoryArtifactStore();
    private final ArchiveImport importer = new ArchiveImport(store, new ArchiveLimits(8L * MIB, 50, 2L * MIB, 100));

    private Tree importBytes(byte[] archive) {
        return importer.importArchive(new ByteArrayInputStream(archive));
    }

    private ArtifactRejectedException refusedTar(Reason reason, Archives.TarWriter writer) {
        byte[] archive = tarGz(writer);
        ArtifactRejectedException e = refused(reason, () -> importBytes(archive));
        return e;
    }

    @Test
    void aTarGzBecomesAStoredTreeWithModesAndLinks() throws Exception {
        Tree tree = importBytes(tarGz(tar -> {
            special(tar, "./", TarConstants.LF_DIR, null);
            special(tar, "./src/", TarConstants.LF_DIR, null);
            file(tar, "./src/main.py", "print('hi')\n");
            file(tar, "run.sh", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0100755);
            special(tar, "src/lib", TarConstants.LF_SYMLINK, "../run.sh");
        }));

        assertThat(tree.entries()).extracting(e -> e.path().value(), TreeEntry::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("run.sh", TreeEntry.Kind.EXECUTABLE),
                org.assertj.core.groups.Tuple.tuple("src/lib", TreeEntry.Kind.SYMLINK),
                org.assertj.core.groups.Tuple.tuple("src/main.py", TreeEntry.Kind.FILE));
        assertThat(store.tree(tree.hash())).contains(tree);
        try (InputStream in = store.openBlob(tree.entry(TreePath.of("src/lib")).orElseThrow().blob())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("../run.sh");
        }
    }

    @Test
    void aZipBecomesTheSameTreeAsTheSameFilesInATarGz() {
        Tree fromTar = importBytes(tarGz(tar -> {
            file(tar, "a.txt", "alpha\n");
            file(tar, "bin/tool", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), 0100755);
            special(tar, "bin/alias", TarConstants.LF_SYMLINK, "tool");
        }));
        Tree fromZip = importBytes(zip(zip -> {
            zipFile(zip, "a.txt", "alpha\n", 0);
            zipFile(zip, "bin/tool", "#!/bin/sh\n", 0100755);
            zipFile(zip, "bin/alias", "tool", 0120777);
        }));
        assertThat(fromZip.hash()).isEqualTo(fromTar.hash());
    }

    @Test
    void uploadingTheSameTreeAgainStoresNothingNew() {
        byte[] archive = tarGz(tar -> file(tar, "a.txt", "alpha\n"));
        Tree first = importBytes(archive);
        int blobs = store.blobCount();
        assertThat(importBytes(archive)).isEqualTo(first);
        assertThat(store.blobCount()).isEqualTo(blobs);
    }

    @Test
    void refusesAbsolutePaths() {
        ArtifactRejectedException e = refusedTar(Reason.ABSOLUTE_PATH, tar -> file(tar, "/etc/cron.d/evil", "x"));
        assertThat(e.path()).contains("/etc/cron.d/evil");
        refused(Reason.ABSOLUTE_PATH, () -> importBytes(zip(zip -> zipFile(zip, "/etc/passwd", "x", 0))));
    }

    @Test
    void refusesParentSegments() {
        refusedTar(Reason.PARENT_SEGMENT, tar -> file(tar, "../../home/u/.bashrc", "x"));
        refusedTar(Reason.PARENT_SEGMENT, tar -> file(tar, "src/../../x", "x"));
        refused(Reason.PARENT_SEGMENT, () -> importBytes(zip(zip -> zipFile(zip, "a/../../x", "x", 0))));
    }

    @Test
    void refusesSymlinksLeavingTheTree() {
        refusedTar(Reason.SYMLINK_ESCAPES, tar -> special(tar, "etc", TarConstants.LF_SYMLINK, "/etc"));
        refusedTar(Reason.SYMLINK_ESCAPES, tar -> special(tar, "a/up", TarConstants.LF_SYMLINK, "../../x"));
        refused(Reason.SYMLINK_ESCAPES, () -> importBytes(zip(zip -> zipFile(zip, "l", "../outside", 0120777))));
    }

    @Test
    void refusesAFileBelowALink() {
        // The classic two-step escape: a link to a directory, then a file written "through" it.
        refusedTar(Reason.PATH_CONFLICT, tar -> {
            special(tar, "lib", TarConstants.LF_SYMLINK, "src");
            file(tar, "lib/x.py", "x");
        });
    }

    @Test
    void refusesDevicesFifosAndHardLinks() {
        refusedTar(Reason.DEVICE, tar -> special(tar, "null", TarConstants.LF_CHR, null));
        refusedTar(Reason.DEVICE, tar -> special(tar, "sda", TarConstants.LF_BLK, null));
        refusedTar(Reason.FIFO, tar -> special(tar, "tests/pipe", TarConstants.LF_FIFO, null));
        refusedTar(Reason.HARD_LINK, tar -> {
            file(tar, "a", "x");
            special(tar, "b", TarConstants.LF_LINK, "a");
        });
        refused(Reason.FIFO, () -> importBytes(zip(zip -> zipFile(zip, "pipe", "", 0010644))));
        refused(Reason.DEVICE, () -> importBytes(zip(zip -> zipFile(zip, "dev", "", 0020644))));
    }

    @Test
    void refusesDuplicateEntriesAlsoAfterNormalisationAndCaseFolding() {
        refusedTar(Reason.DUPLICATE_ENTRY, tar -> {
            file(tar, "a.txt", "1");
            file(tar, "a.txt", "2");
        });
        refusedTar(Reason.DUPLICATE_ENTRY, tar -> {
            file(tar, "src/a.txt", "1");
            file(tar, "./src//a.txt", "2");
        });
        ArtifactRejectedException e = refusedTar(Reason.DUPLICATE_ENTRY, tar -> {
            file(tar, "README.md", "1");
            file(tar, "readme.md", "2");
        });
        assertThat(e.getMessage()).contains("case-insensitive");
        refused(Reason.DUPLICATE_ENTRY, () -> importBytes(zip(zip -> {
            zipFile(zip, "a.txt", "1", 0);
            zipFile(zip, "a.txt", "2", 0);
        })));
        refusedTar(Reason.PATH_CONFLICT, tar -> {
            file(tar, "a", "1");
            special(tar, "a/", TarConstants.LF_DIR, null);
        });
    }

    @Test
    void refusesATarGzBombWhileStreamingIt() {
        byte[] bomb = tarGz(tar -> {
            TarArchiveEntry entry = new TarArchiveEntry("zeros");
            entry.setSize(64L * MIB);
            tar.putArchiveEntry(entry);
            Archives.zeros(tar, 64L * MIB);
            tar.closeArchiveEntry();
        });
        assertThat(bomb.length).as("a real bomb: tiny compressed").isLessThan(MIB / 4);
        ArchiveImport generous = new ArchiveImport(store, new ArchiveLimits(1L << 40, 50, 1L << 40, 100));
        refused(Reason.COMPRESSION_RATIO, () -> generous.importArchive(new ByteArrayInputStream(bomb)));
    }

    @Test
    void refusesAZipBombWhileStreamingIt() {
        byte[] bomb = zip(zip -> {
            ZipArchiveEntry entry = new ZipArchiveEntry("zeros");
            entry.setMethod(ZipArchiveEntry.DEFLATED);
            zip.putArchiveEntry(entry);
            Archives.zeros(zip, 64L * MIB);
            zip.closeArchiveEntry();
        });
        ArchiveImport generous = new ArchiveImport(store, new ArchiveLimits(1L << 40, 50, 1L << 40, 100));
        ArtifactRejectedException e = refused(Reason.COMPRESSION_RATIO,
                () -> generous.importArchive(new ByteArrayInputStream(bomb)));
        assertThat(e.path()).contains("zeros");
    }

    @Test
    void refusesFilesOverTheLimits() {
        byte[] big = new byte[2 * MIB + 1];
        new java.util.Random(1).nextBytes(big);
        refused(Reason.LIMIT_EXCEEDED, () -> importBytes(tarGz(tar -> file(tar, "big.bin", big, 0100644))));
        refused(Reason.LIMIT_EXCEEDED, () -> importBytes(tarGz(tar -> {
            for (int i = 0; i < 51; i++) {
                file(tar, "f" + i, "x");
            }
        })));
        byte[] almost = Arrays.copyOf(big, 2 * MIB);
        refused(Reason.LIMIT_EXCEEDED, () -> importBytes(tarGz(tar -> {
            for (int i = 0; i < 5; i++) {
                almost[0] = (byte) i;
                file(tar, "f" + i, almost, 0100644);
            }
        })));
    }

    @Test
    void refusesMalformedArchivesAndOtherUploads() {
        byte[] good = tarGz(tar -> file(tar, "a.txt", "alpha\n".repeat(10_000)));
        refused(Reason.MALFORMED_ARCHIVE, () -> importBytes(Arrays.copyOf(good, good.length / 2)));
        byte[] garbage = new byte[4096];
        new java.util.Random(2).nextBytes(garbage);
        garbage[0] = 0x1f;
        garbage[1] = (byte) 0x8b;
        refused(Reason.MALFORMED_ARCHIVE, () -> importBytes(garbage));
        refused(Reason.MALFORMED_ARCHIVE, () -> importBytes("just text".getBytes(StandardCharsets.UTF_8)));
        refused(Reason.MALFORMED_ARCHIVE, () -> importBytes(new byte[0]));
        byte[] zip = zip(z -> zipFile(z, "a.txt", "alpha\n".repeat(1000), 0));
        refused(Reason.MALFORMED_ARCHIVE, () -> importBytes(Arrays.copyOf(zip, zip.length - 30)));
    }
}
