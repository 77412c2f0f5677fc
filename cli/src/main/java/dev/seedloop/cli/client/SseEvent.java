package dev.seedloop.cli.client;

/**
 * One server-sent event. On the gateway's study stream {@code id} is the study sequence, {@code event}
 * the event type ({@code seedloop.champion.changed}) and {@code data} the envelope JSON.
 *
 * @param id    the last event id seen on the stream (ids carry over per the SSE spec); null if none yet
 * @param event the event type, {@code message} when the server named none
 * @param data  the data lines joined with {@code \n}
 */
public record SseEvent(String id, String event, String data) {

    /** The id as a study sequence, or -1 when the id is missing or not a number. */
    public long sequence() {
        if (id == null || id.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(id.trim());
        } catch (NumberFormatException notASequence) {
            return -1;
        }
    }
}
