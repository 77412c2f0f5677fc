package dev.seedloop.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import java.util.Optional;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/**
 * Where blobs (file contents) and trees live, by their hashes, and which team owns which tree.
 *
 * <p>Content is shared: a blob or tree is stored once however many teams upload it. Ownership is per team: a team
 * may read a tree only once it was {@link #grant granted} to it, and {@link #treeOwnedBy} answers "absent" both for a
 * tree that does not exist and for one of another team, so no team learns what another has stored. {@link #tree}
 * and {@link #openBlob} do not check ownership: they are for services that act on a team's behalf after checking
 * it (or on a hash they got from that team's own events).
 *
 * <p>Every write is atomic: a blob or tree is either stored completely or not visible at all, also after a crash.
 * Implementations are thread-safe. {@link PostgresArtifactStore} is the default; {@link InMemoryArtifactStore} is
 * for tests of other modules.
 */
public interface ArtifactStore {

    /**
     * Reads {@code content} to its end and stores it unless a blob with the same hash is stored already. The content
     * is streamed: never held in memory whole. {@code content} is not closed.
     *
     * <p>An exception thrown by {@code content} (e.g. an {@link ArtifactRejectedException} from a size limit) is
     * rethrown as it is, and nothing is stored.
     *
     * @throws UncheckedIOException when reading {@code content} fails
     * @throws ArtifactStoreException when the store fails
     */
    BlobRef putBlob(InputStream content);

    /** {@link #putBlob(InputStream)} of a small byte array. */
    default BlobRef putBlob(byte[] content) {
        return putBlob(new ByteArrayInputStream(content));
    }

    /** {@link #putBlob(InputStream)} of text, in UTF-8. */
    default BlobRef putText(String content) {
        return putBlob(content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A stream of the blob's bytes, read from the store as it is consumed. The stream checks the bytes against the
     * hash at its end and throws an {@link IOException} if they differ. Close it.
     *
     * @throws NoSuchElementException when the blob is not stored
     */
    InputStream openBlob(String blobHash);

    /** A small blob (a symbolic link's target, a text file to diff) as a byte array of at most {@code maxBytes}. */
    default byte[] readBlob(String blobHash, int maxBytes) {
        try (InputStream in = openBlob(blobHash)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new IllegalArgumentException("blob " + blobHash + " is larger than " + maxBytes + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean hasBlob(String blobHash);

    /**
     * Stores {@code tree} (a no-op when it is stored already).
     *
     * @throws ArtifactRejectedException {@link Reason#MISSING_BLOB} when one of its blobs is not stored,
     *     {@link Reason#SYMLINK_ESCAPES} when a symbolic link's stored target leaves the tree
     */
    void putTree(Tree tree);

    /** The stored tree with this hash, without any ownership check (see the class javadoc). */
    Optional<Tree> tree(String treeHash);

    /** Makes {@code team} an owner of the stored tree {@code treeHash} (idempotent). */
    void grant(String team, String treeHash);

    /** Whether {@code team} owns the tree; false as well when it does not exist. */
    boolean owns(String team, String treeHash);

    /** The tree when {@code team} owns it; empty when it does not exist or belongs to other teams only. */
    default Optional<Tree> treeOwnedBy(String team, String treeHash) {
        return owns(team, treeHash) ? tree(treeHash) : Optional.empty();
    }

    /** What {@link #putTree} checks before storing: every blob is present and every link stays inside. */
    static void checkStorable(ArtifactStore store, Tree tree) {
        for (String blob : tree.blobs()) {
            if (!store.hasBlob(blob)) {
                throw new ArtifactRejectedException(Reason.MISSING_BLOB, null, "blob " + blob
                        + " of tree " + tree.hash() + " is not stored; upload it first");
            }
        }
        for (TreeEntry entry : tree.entries()) {
            if (entry.kind() == TreeEntry.Kind.SYMLINK) {
                if (entry.size() > SymlinkTargets.MAX_TARGET_BYTES) {
                    SymlinkTargets.check(entry.path(), "x".repeat(SymlinkTargets.MAX_TARGET_BYTES + 1));
                }
                String target = new String(store.readBlob(entry.blob(), SymlinkTargets.MAX_TARGET_BYTES),
                        StandardCharsets.UTF_8);
                SymlinkTargets.check(entry.path(), target);
            }
        }
    }
}
