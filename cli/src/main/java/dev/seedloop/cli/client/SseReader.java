package dev.seedloop.cli.client;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Parses a {@code text/event-stream} as the HTML living standard says: lines end in LF, CR or CRLF;
 * {@code data:} lines accumulate (joined with LF); a blank line dispatches; {@code :} lines are comments
 * (keep-alives); unknown fields are ignored; one space after the colon is dropped; the last id carries
 * over to later events; an event cut off by the end of the stream is discarded. Not thread-safe.
 */
public final class SseReader implements Closeable {

    private final BufferedReader reader;
    private boolean firstLine = true;
    private String lastEventId;
    private Long retryMillis;

    public SseReader(InputStream in) {
        this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** The next event, or null at the end of the stream. Blocks until one is complete. */
    public SseEvent next() throws IOException {
        StringBuilder data = null;
        String event = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (firstLine) {
                firstLine = false;
                if (line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
            }
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(lastEventId, event == null || event.isEmpty() ? "message" : event,
                            data.toString());
                }
                event = null; // an event without data is not dispatched
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                case "event" -> event = value;
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastEventId = value;
                    }
                }
                case "retry" -> {
                    if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                        retryMillis = Long.parseLong(value);
                    }
                }
                default -> {
                    // unknown fields are ignored by the spec
                }
            }
        }
        return null;
    }

    /** The reconnection delay the server asked for with {@code retry:}, or null. */
    public Long retryMillis() {
        return retryMillis;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
