package dev.seedloop.artifacts;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Files as lines of text for diffs: UTF-8 only, up to {@link #MAX_TEXT_BYTES}. */
final class TextBlobs {

    /** Files larger than this are not diffed (a diff of them is refused; TreeDiff reports them as binary). */
    static final int MAX_TEXT_BYTES = 4 * 1024 * 1024;

    /** A file's lines, and whether its last line ended with a newline. */
    record Text(List<String> lines, boolean finalNewline) {

        String join(boolean withFinalNewline) {
            if (lines.isEmpty()) {
                return "";
            }
            return String.join("\n", lines) + (withFinalNewline ? "\n" : "");
        }
    }

    private TextBlobs() {
    }

    /** The blob as text, or empty when it is not UTF-8 text (binary) or too large to diff. */
    static Optional<Text> read(ArtifactStore store, TreeEntry entry) {
        if (entry.size() > MAX_TEXT_BYTES) {
            return Optional.empty();
        }
        byte[] bytes = store.readBlob(entry.blob(), MAX_TEXT_BYTES);
        return decode(bytes);
    }

    static Optional<Text> decode(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        if (text.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        return Optional.of(split(text));
    }

    static Text split(String text) {
        if (text.isEmpty()) {
            return new Text(List.of(), true);
        }
        boolean finalNewline = text.endsWith("\n");
        String body = finalNewline ? text.substring(0, text.length() - 1) : text;
        return new Text(new ArrayList<>(List.of(body.split("\n", -1))), finalNewline);
    }
}
