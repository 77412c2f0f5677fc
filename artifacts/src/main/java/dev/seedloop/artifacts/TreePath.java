package dev.seedloop.artifacts;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.seedloop.artifacts.ArtifactRejectedException.Reason;

/**
 * A normalised path of a file inside a tree: relative, '/'-separated, Unicode NFC, without empty, {@code .} or
 * {@code ..} segments. Every check in this module (protected paths, duplicates, limits) runs on the normalised
 * form, so {@code ./tests//x} and {@code tests/x} are one path.
 *
 * <p>Normalisation, in order: NFC; a leading {@code ./} (repeated) is dropped; empty and {@code .} segments are
 * dropped (so {@code //}, {@code /./} and a trailing {@code /} collapse). Refused: empty paths, absolute paths
 * (leading {@code /} or a drive letter like {@code C:}), {@code ..} segments, backslashes, control characters
 * (NUL included), more than {@link #MAX_PATH_BYTES} UTF-8 bytes or a segment over {@link #MAX_SEGMENT_BYTES}.
 *
 * <p>{@link #foldedKey()} is the key for comparisons that must also hold on case-insensitive file systems
 * (macOS, Windows): two paths with the same key are one file there.
 */
public final class TreePath implements Comparable<TreePath> {

    /** The longest path, in UTF-8 bytes (Linux's PATH_MAX is 4096; a workspace needs far less). */
    public static final int MAX_PATH_BYTES = 1024;
    /** The longest segment, in UTF-8 bytes (NAME_MAX on Linux and most file systems). */
    public static final int MAX_SEGMENT_BYTES = 255;

    /** Orders paths by their UTF-8 bytes, unsigned: the order of the tree hash encoding in every language. */
    public static final Comparator<TreePath> BYTE_ORDER = (a, b) -> Arrays.compareUnsigned(a.utf8, b.utf8);

    private final String value;
    private final byte[] utf8;
    private final String foldedKey;

    private TreePath(String value) {
        this.value = value;
        this.utf8 = value.getBytes(StandardCharsets.UTF_8);
        this.foldedKey = fold(value);
    }

    /**
     * Normalises and checks {@code raw}.
     *
     * @throws ArtifactRejectedException with the reason when {@code raw} is not a path inside a tree
     */
    public static TreePath of(String raw) {
        return new TreePath(normalise(raw));
    }

    /** Like {@link #of}, but empty for a path that normalises to the tree's root ({@code ""}, {@code "."}, {@code "./"}). */
    public static Optional<TreePath> ofOrRoot(String raw) {
        if (raw != null) {
            String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
            if (!nfc.startsWith("/") && Arrays.stream(nfc.split("/")).allMatch(s -> s.isEmpty() || s.equals("."))) {
                return Optional.empty();
            }
        }
        return Optional.of(of(raw));
    }

    static String normalise(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new ArtifactRejectedException(Reason.EMPTY_PATH, raw, "the path is empty");
        }
        String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
        for (int i = 0; i < nfc.length(); i++) {
            char c = nfc.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                throw new ArtifactRejectedException(Reason.CONTROL_CHARACTER, printable(raw),
                        "the path " + printable(raw) + " contains the control character U+"
                                + String.format("%04X", (int) c));
            }
            if (c == '\\') {
                throw new ArtifactRejectedException(Reason.BACKSLASH, raw, "the path '" + raw
                        + "' contains a backslash; use '/' between directories");
            }
        }
        if (nfc.startsWith("/") || nfc.matches("^[A-Za-z]:.*")) {
            throw new ArtifactRejectedException(Reason.ABSOLUTE_PATH, raw,
                    "the path '" + raw + "' is absolute; paths are relative to the workspace root");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : nfc.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new ArtifactRejectedException(Reason.PARENT_SEGMENT, raw,
                        "the path '" + raw + "' has a '..' segment; paths stay inside the workspace");
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                throw new ArtifactRejectedException(Reason.PATH_TOO_LONG, raw, "a segment of the path '" + raw
                        + "' is longer than " + MAX_SEGMENT_BYTES + " bytes");
            }
            segments.add(segment);
        }
        if (segments.isEmpty()) {
            throw new ArtifactRejectedException(Reason.EMPTY_PATH, raw, "the path '" + raw + "' names no file");
        }
        String value = String.join("/", segments);
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new ArtifactRejectedException(Reason.PATH_TOO_LONG, raw,
                    "the path is longer than " + MAX_PATH_BYTES + " bytes");
        }
        return value;
    }

    /**
     * Case-folds for comparison: upper- then lower-case with {@link Locale#ROOT}, which also folds e.g. {@code ß}
     * and {@code SS}. It folds at least as much as the file systems do, so it may refuse a pair a file system
     * would keep apart, never the reverse.
     */
    static String fold(String value) {
        return value.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    private static String printable(String raw) {
        StringBuilder out = new StringBuilder("'");
        raw.codePoints().forEach(cp -> {
            if (Character.getType(cp) == Character.CONTROL) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('\'').toString();
    }

    /** The normalised path, e.g. {@code tests/unit/a.py}. */
    public String value() {
        return value;
    }

    /** The case-folded form: equal keys name one file on a case-insensitive file system. */
    public String foldedKey() {
        return foldedKey;
    }

    /** The UTF-8 bytes of {@link #value()} (a copy). */
    public byte[] utf8() {
        return utf8.clone();
    }

    public List<String> segments() {
        return List.of(value.split("/"));
    }

    /** The last segment. */
    public String name() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? value : value.substring(slash + 1);
    }

    /** The directory holding this path; empty at the root. */
    public Optional<TreePath> parent() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? Optional.empty() : Optional.of(new TreePath(value.substring(0, slash)));
    }

    /** Every directory above this path, outermost first ({@code a}, {@code a/b} for {@code a/b/c}). */
    public List<TreePath> ancestors() {
        List<TreePath> ancestors = new ArrayList<>();
        for (int slash = value.indexOf('/'); slash >= 0; slash = value.indexOf('/', slash + 1)) {
            ancestors.add(new TreePath(value.substring(0, slash)));
        }
        return ancestors;
    }

    /** Whether this path is {@code directory} itself or lies below it, compared case-folded. */
    public boolean isWithin(TreePath directory) {
        return foldedKey.equals(directory.foldedKey) || foldedKey.startsWith(directory.foldedKey + "/");
    }

    @Override
    public int compareTo(TreePath other) {
        return BYTE_ORDER.compare(this, other);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TreePath path && path.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
