package dev.seedloop.implementer.application;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.Materializer;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;

/**
 * What an experiment's workspace holds before {@code params.json} is written: a stored tree (a study with an
 * uploaded workspace), or a directory of this machine with the proposal's patches (a study from before, see
 * {@link WorkspaceMaterializer}). Written afresh into every directory that needs it, so the validation and held-out
 * commands never see what an experiment wrote.
 */
public interface WorkspaceContent {

    /** Bytes the content takes on a file system of 4 KiB blocks (an over-estimate), to size a volume for it. */
    long estimatedBytes() throws IOException;

    /** Writes the content into {@code emptyDir}, which exists and is empty; links are created, never followed. */
    void writeInto(Path emptyDir) throws IOException;

    /** A stored tree, written by {@link Materializer}: every file created new, links last. */
    static WorkspaceContent of(ArtifactStore store, Tree tree) {
        return new StoredTree(store, tree);
    }

    /** A stored tree as content. */
    record StoredTree(ArtifactStore store, Tree tree) implements WorkspaceContent {

        private static final long BLOCK = 4096;

        public StoredTree {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(tree, "tree");
        }

        @Override
        public long estimatedBytes() {
            long bytes = 0;
            for (TreeEntry entry : tree.entries()) {
                // Its blocks, its inode's share and, at worst, a directory of its own.
                bytes += (entry.size() + BLOCK - 1) / BLOCK * BLOCK + 2 * BLOCK;
            }
            return bytes;
        }

        @Override
        public void writeInto(Path emptyDir) throws IOException {
            new Materializer(store).materialize(tree, emptyDir);
        }
    }
}
