package dev.seedloop.learner.query.domain.postmortem;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of a log tail, so that one crash seen many times with different values counts once. The
 * {@link #signature} keeps the tail's last {@value #LINES} non-blank lines (where a crash says what it is)
 * with timestamps, UUIDs, hex ids, directories and numbers replaced by placeholders; the
 * {@link #of fingerprint} is a short hash of it. Pure and deterministic.
 */
public final class LogFingerprint {

    /** Lines of the tail that make up the shape: a traceback's last frames and its message. */
    static final int LINES = 5;
    /** A longer line is cut: the start of a message identifies it, the rest is usually data. */
    static final int LINE_LENGTH = 200;
    private static final int HASH_HEX_DIGITS = 12;

    private static final Pattern TIMESTAMP = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?"
                    + "|\\b\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?\\b");
    private static final Pattern UUID = Pattern.compile(
            "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    /** 0x-prefixed, or 8+ hex digits with at least one digit (so that plain words like "deadline" stay). */
    private static final Pattern HEX = Pattern.compile(
            "\\b0[xX][0-9a-fA-F]+\\b|\\b(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\\b");
    /**
     * An absolute path (not preceded by a word character, so "20/20" is no path). Its directories differ per
     * experiment (workspace copies, temp dirs) but its file name says where it broke, so the name stays.
     */
    private static final Pattern PATH = Pattern.compile(
            "(?<![\\w.\\\\/])(?:[A-Za-z]:)?[\\\\/](?:[\\w.@+~-]+[\\\\/])*([\\w.@+~-]+)[\\\\/]?");
    /** Numbers, but not digits inside identifiers such as "float32" or "resnet50". */
    private static final Pattern NUMBER = Pattern.compile(
            "(?<![A-Za-z_\\d])\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private LogFingerprint() {
    }

    /** The normalised last lines, joined by newlines; empty for an empty tail. */
    public static String signature(String logTail) {
        Deque<String> last = new ArrayDeque<>(LINES);
        String previous = null;
        for (String raw : (logTail == null ? "" : logTail).split("\\R")) {
            if (raw.isBlank()) {
                continue;
            }
            String line = normalise(raw);
            // A message repeated with different numbers (retries, warnings) is one line of the shape.
            if (line.equals(previous)) {
                continue;
            }
            previous = line;
            if (last.size() == LINES) {
                last.removeFirst();
            }
            last.addLast(line);
        }
        return String.join("\n", last);
    }

    /** A short stable hash of {@link #signature}: equal for tails of the same shape. */
    public static String of(String logTail) {
        return hash(signature(logTail));
    }

    public static String hash(String signature) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(signature.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String normalise(String line) {
        // Paths first: the ids and numbers inside a directory name must not split it into pieces.
        String s = replacePaths(line);
        s = TIMESTAMP.matcher(s).replaceAll("<ts>");
        s = UUID.matcher(s).replaceAll("<id>");
        s = HEX.matcher(s).replaceAll("<hex>");
        s = NUMBER.matcher(s).replaceAll("<n>");
        s = SPACE.matcher(s.strip()).replaceAll(" ");
        return s.length() > LINE_LENGTH ? s.substring(0, LINE_LENGTH) : s;
    }

    private static String replacePaths(String s) {
        Matcher m = PATH.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement("<path>/" + m.group(1)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
