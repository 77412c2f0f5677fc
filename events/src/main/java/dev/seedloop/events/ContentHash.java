package dev.seedloop.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Content digests in the form used across events: {@code "sha256:" + 64 lower-case hex digits}. */
public final class ContentHash {

    public static final String PREFIX = "sha256:";

    private ContentHash() {
    }

    public static String sha256(byte[] bytes) {
        return PREFIX + HexFormat.of().formatHex(digest(bytes));
    }

    public static String sha256(String utf8) {
        return sha256(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The hash of a directory tree: regular files in sorted relative-path order, each as its path, a NUL,
     * its size, a NUL and its bytes, so renames and moves change the hash as much as edits do.
     * Symbolic links are not followed (a workspace must not point outside itself).
     */
    public static String ofDirectory(Path root) throws IOException {
        MessageDigest sha = newDigest();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                    .sorted(Comparator.comparing(path -> root.relativize(path).toString().replace('\\', '/')))
                    .toList();
        }
        byte[] buffer = new byte[64 * 1024];
        for (Path file : files) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            sha.update(relative.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Long.toString(Files.size(file)).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            try (InputStream in = Files.newInputStream(file)) {
                for (int read; (read = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, read);
                }
            }
        }
        return PREFIX + HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to ship SHA-256.
            throw new IllegalStateException(e);
        }
    }
}
