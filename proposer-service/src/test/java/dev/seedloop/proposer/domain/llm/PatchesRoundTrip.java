package dev.seedloop.proposer.domain.llm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.seedloop.artifacts.BlobRef;
import dev.seedloop.artifacts.Change;
import dev.seedloop.artifacts.InMemoryArtifactStore;
import dev.seedloop.artifacts.Patches;
import dev.seedloop.artifacts.ProtectedPaths;
import dev.seedloop.artifacts.Tree;
import dev.seedloop.artifacts.TreeEntry;
import dev.seedloop.artifacts.TreePath;
import dev.seedloop.events.FilePatch;

/** Applies patches the way the implementer does (the artifact store's {@link Patches}) and reads the child tree. */
final class PatchesRoundTrip {

    private PatchesRoundTrip() {
    }

    static Map<String, String> apply(Map<String, String> parentFiles, List<FilePatch> patches) {
        InMemoryArtifactStore store = new InMemoryArtifactStore();
        List<TreeEntry> entries = new ArrayList<>();
        parentFiles.forEach((path, content) -> {
            BlobRef blob = store.putText(content);
            entries.add(new TreeEntry(TreePath.of(path), TreeEntry.Kind.FILE, blob.hash(), blob.size()));
        });
        Tree child = new Patches(store, ProtectedPaths.none()).apply(Tree.of(entries), Change.of(patches));
        Map<String, String> files = new TreeMap<>();
        for (TreeEntry entry : child.entries()) {
            files.put(entry.path().value(),
                    new String(store.readBlob(entry.blob(), 1 << 20), StandardCharsets.UTF_8));
        }
        return files;
    }
}
