package dev.seedloop.artifacts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ArtifactStore} in memory, for tests of the modules that use the store. It holds whole blobs in memory,
 * so it is no place for large content; otherwise it behaves like {@link PostgresArtifactStore}.
 */
public final class InMemoryArtifactStore implements ArtifactStore {

    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, Tree> trees = new ConcurrentHashMap<>();
    private final Set<String> ownership = ConcurrentHashMap.newKeySet();

    @Override
    public BlobRef putBlob(InputStream content) {
        MessageDigest digest = Digests.sha256();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int read; (read = content.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, read);
                bytes.write(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String hash = Digests.format(digest);
        blobs.putIfAbsent(hash, bytes.toByteArray());
        return new BlobRef(hash, bytes.size());
    }

    @Override
    public InputStream openBlob(String blobHash) {
        byte[] bytes = blobs.get(blobHash);
        if (bytes == null) {
            throw new NoSuchElementException("no blob " + blobHash);
        }
        return new VerifyingInputStream(new ByteArrayInputStream(bytes), blobHash);
    }

    @Override
    public boolean hasBlob(String blobHash) {
        return blobs.containsKey(blobHash);
    }

    @Override
    public void putTree(Tree tree) {
        ArtifactStore.checkStorable(this, tree);
        trees.putIfAbsent(tree.hash(), tree);
    }

    @Override
    public Optional<Tree> tree(String treeHash) {
        return Optional.ofNullable(trees.get(treeHash));
    }

    @Override
    public void grant(String team, String treeHash) {
        if (!trees.containsKey(treeHash)) {
            throw new NoSuchElementException("no tree " + treeHash);
        }
        ownership.add(team + "\n" + treeHash);
    }

    @Override
    public boolean owns(String team, String treeHash) {
        return ownership.contains(team + "\n" + treeHash);
    }

    /** How many distinct blobs are stored (tests of deduplication). */
    public int blobCount() {
        return blobs.size();
    }
}
