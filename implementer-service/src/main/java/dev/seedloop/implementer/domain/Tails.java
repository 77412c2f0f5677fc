package dev.seedloop.implementer.domain;

import java.nio.charset.StandardCharsets;

/** Bounds text to its last bytes, so logs in events stay small whatever the experiment printed. */
public final class Tails {

    /** The log tail size carried by outcomes. */
    public static final int LOG_TAIL_BYTES = 4096;

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
}
