package dev.seedloop.implementer.domain;

import java.nio.charset.StandardCharsets;

/** Bounds text to its last (or first) bytes, so logs and details in events stay small whatever the experiment printed. */
public final class Tails {

    /** The log tail size carried by outcomes. */
    public static final int LOG_TAIL_BYTES = 4096;

    /** The longest failure detail an outcome carries; details name paths and metrics the experiment chose. */
    public static final int DETAIL_BYTES = 2048;

    private static final String CUT = "...";

    private Tails() {
    }

    /** The longest suffix of {@code text} whose UTF-8 encoding fits in {@code maxBytes}. */
    public static String lastBytes(String text, int maxBytes) {
        if (text == null) {
            return "";
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int start = bytes.length - maxBytes;
        // Skip UTF-8 continuation bytes so the tail does not start with half a character.
        while (start < bytes.length && (bytes[start] & 0xC0) == 0x80) {
            start++;
        }
        return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
    }

    /** {@code text} itself if its UTF-8 encoding fits in {@code maxBytes}, else its longest prefix that fits with "...". */
    public static String firstBytes(String text, int maxBytes) {
        if (text == null) {
            return "";
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int end = Math.max(0, maxBytes - CUT.length());
        // Back off over continuation bytes so the prefix does not end with half a character.
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8) + CUT;
    }
}
