package dev.seedloop.artifacts;

/** A stored blob: its hash ({@code "sha256:<hex>"} of its bytes) and its size in bytes. */
public record BlobRef(String hash, long size) {

    public BlobRef {
        if (!TreeEntry.isBlobHash(hash)) {
            throw new IllegalArgumentException("not a blob hash: " + hash);
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
    }
}
