package dev.seedloop.cli.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import dev.seedloop.artifacts.ArtifactStore;
import dev.seedloop.artifacts.BlobRef;
import dev.seedloop.artifacts.Tree;

/**
 * An {@link ArtifactStore} in a private temporary directory, for one checkout: the downloaded archive is checked
 * entry by entry into it ({@code ArchiveImport}) before anything is written where the user asked, and then
 * materialised from it. Blobs are files named by their hash, streamed to disk (a large workspace never sits in
 * memory); trees and ownership live in memory. {@link #close()} deletes the directory.
 */
final class ScratchStore implements ArtifactStore, AutoCloseable {

    private final Path directory;
    private final Map<String, Tree> trees = new ConcurrentHashMap<>();

    ScratchStore() throws IOException {
        directory = Files.createTempDirectory("seedloop-checkout-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    @Override
    public BlobRef putBlob(InputStream content) {
        try {
            Path partial = Files.createTempFile(directory, "blob-", ".partial");
            MessageDigest digest = sha256();
            long size;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), digest)) {
                size = content.transferTo(out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(partial);
                throw e;
            }
            String hash = "sha256:" + HexFormat.of().formatHex(digest.digest());
            Files.move(partial, file(hash), StandardCopyOption.REPLACE_EXISTING);
            return new BlobRef(hash, size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream openBlob(String blobHash) {
        try {
            return Files.newInputStream(file(blobHash), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchElementException("no blob " + blobHash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean hasBlob(String blobHash) {
        return Files.isRegularFile(file(blobHash), LinkOption.NOFOLLOW_LINKS);
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

    /** One user's scratch space: whatever it holds is theirs. */
    @Override
    public void grant(String team, String treeHash) {
    }

    @Override
    public boolean owns(String team, String treeHash) {
        return trees.containsKey(treeHash);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }

    /** Blob hashes come from this store's own digests or from a checked tree: {@code sha256:} and 64 hex digits. */
    private Path file(String blobHash) {
        if (!blobHash.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a blob hash: " + blobHash);
        }
        return directory.resolve(blobHash.substring("sha256:".length()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
