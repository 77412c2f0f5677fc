package dev.seedloop.artifacts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/**
 * An immutable set of files, identified by its {@link #hash()}. Entries are sorted by {@link TreePath#BYTE_ORDER};
 * no two share a path, nor a {@link TreePath#foldedKey() case-folded} path, and no entry lies below another (a
 * file {@code a} and a file {@code a/b} cannot both exist; in particular nothing lies below a symbolic link).
 *
 * <p>The hash is {@code "sha256:" + hex(SHA-256(encoding))}, where the encoding is the ASCII header
 * {@code seedloop-tree-v1} and a NUL byte, then for each entry in order: its mode ({@code 100644}, {@code 100755}
 * or {@code 120000}), a space, its blob hash ({@code sha256:<hex>}), a space, its path in UTF-8 and a NUL byte.
 * Modes and blob hashes have fixed alphabets without spaces and paths cannot contain NUL, so the encoding is
 * unambiguous; sizes are not part of it (the blob hash fixes them). See {@code artifacts/README.md}.
 */
public final class Tree {

    /** The first bytes of the encoding: names the format so a later one can never collide with it. */
    public static final String ENCODING_HEADER = "seedloop-tree-v1";

    private final List<TreeEntry> entries;
    private final Map<TreePath, TreeEntry> byPath;
    private final String hash;

    private Tree(List<TreeEntry> entries) {
        this.entries = entries;
        this.byPath = new HashMap<>();
        entries.forEach(entry -> byPath.put(entry.path(), entry));
        this.hash = computeHash(entries);
    }

    /**
     * A tree of {@code entries} in any order.
     *
     * @throws ArtifactRejectedException {@link Reason#DUPLICATE_ENTRY} for two entries of one (case-folded) path,
     *     {@link Reason#PATH_CONFLICT} for an entry below another
     */
    public static Tree of(Collection<TreeEntry> entries) {
        List<TreeEntry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> a.path().compareTo(b.path()));
        Map<String, TreePath> byKey = new HashMap<>();
        for (TreeEntry entry : sorted) {
            TreePath earlier = byKey.putIfAbsent(entry.path().foldedKey(), entry.path());
            if (earlier != null) {
                throw new ArtifactRejectedException(Reason.DUPLICATE_ENTRY, entry.path().value(),
                        earlier.equals(entry.path()) ? "'" + entry.path() + "' appears twice"
                                : "'" + earlier + "' and '" + entry.path()
                                        + "' are the same file on a case-insensitive file system");
            }
        }
        for (TreeEntry entry : sorted) {
            for (TreePath ancestor : entry.path().ancestors()) {
                TreePath file = byKey.get(ancestor.foldedKey());
                if (file != null) {
                    throw new ArtifactRejectedException(Reason.PATH_CONFLICT, entry.path().value(),
                            "'" + entry.path() + "' lies below '" + file + "', which is a file or a link");
                }
            }
        }
        return new Tree(List.copyOf(sorted));
    }

    public static Tree empty() {
        return new Tree(List.of());
    }

    /** {@code "sha256:<hex>"} over the canonical encoding (class javadoc). */
    public String hash() {
        return hash;
    }

    /** Sorted by path bytes. */
    public List<TreeEntry> entries() {
        return entries;
    }

    public Optional<TreeEntry> entry(TreePath path) {
        return Optional.ofNullable(byPath.get(path));
    }

    public int size() {
        return entries.size();
    }

    /** The sum of the entries' sizes. */
    public long totalBytes() {
        return entries.stream().mapToLong(TreeEntry::size).sum();
    }

    /** The distinct blob hashes of the entries. */
    public Set<String> blobs() {
        Set<String> blobs = new HashSet<>();
        entries.forEach(entry -> blobs.add(entry.blob()));
        return blobs;
    }

    /** The bytes the hash is computed over; exposed so other implementations can compare byte for byte. */
    public byte[] canonicalEncoding() {
        return encode(entries);
    }

    private static byte[] encode(List<TreeEntry> entries) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(ENCODING_HEADER.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        for (TreeEntry entry : entries) {
            out.writeBytes((entry.kind().mode() + " " + entry.blob() + " ").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(entry.path().utf8());
            out.write(0);
        }
        return out.toByteArray();
    }

    private static String computeHash(List<TreeEntry> entries) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return "sha256:" + HexFormat.of().formatHex(sha.digest(encode(entries)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tree tree && tree.hash.equals(hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "Tree[" + hash + ", " + entries.size() + " entries]";
    }
}
