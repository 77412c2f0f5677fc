package dev.seedloop.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/**
 * Reads a directory an experiment ran in back into the store as a {@link Tree} (stored as well). Symbolic links are
 * captured as links, never followed, and refused when they leave the directory; FIFOs, devices and sockets are
 * refused before anything opens them; files are opened with {@code NOFOLLOW_LINKS}. Nothing is ignored: every file
 * counts, up to the caller's {@link ArchiveLimits} (the compression ratio does not apply).
 *
 * <p>Capture only after every process that could write to the directory has ended: a file swapped for a FIFO
 * between the check and the open would block the read.
 */
public final class TreeCapture {

    private final ArtifactStore store;
    private final ArchiveLimits limits;

    public TreeCapture(ArtifactStore store, ArchiveLimits limits) {
        this.store = Objects.requireNonNull(store, "store");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public Tree capture(Path directory) throws IOException {
        List<TreeEntry> entries = new ArrayList<>();
        for (DirectoryWalk.Found file : DirectoryWalk.walk(directory, SeedloopIgnore.none(), limits)) {
            if (file.kind() == TreeEntry.Kind.SYMLINK) {
                BlobRef blob = store.putText(file.linkTarget());
                entries.add(new TreeEntry(file.path(), file.kind(), blob.hash(), blob.size()));
                continue;
            }
            BlobRef blob;
            long[] read = {0};
            try (InputStream in = Files.newInputStream(file.file(), LinkOption.NOFOLLOW_LINKS);
                    InputStream limited = new LimitedInputStream(in, n -> {
                        read[0] += n;
                        if (read[0] > limits.maxFileBytes()) {
                            throw new ArtifactRejectedException(Reason.LIMIT_EXCEEDED, file.path().value(),
                                    "the file '" + file.path() + "' grew over " + limits.maxFileBytes() + " bytes");
                        }
                    })) {
                blob = store.putBlob(limited);
            }
            entries.add(new TreeEntry(file.path(), file.kind(), blob.hash(), blob.size()));
        }
        Tree tree = Tree.of(entries);
        store.putTree(tree);
        return tree;
    }
}
