package dev.seedloop.events;

/**
 * Bytes could not be turned into an {@link EventEnvelope}. Consumers should route the record to
 * {@link Topics#DEAD_LETTERS} rather than retry: the same bytes will fail the same way.
 * {@link #type()} is null when the type is unknown or unreadable; {@link #field()} is the JSON
 * path of the offending field (e.g. {@code payload.repeats[0].seed}) or null.
 */
public class EventDecodingException extends RuntimeException {

    private final String type;
    private final String field;

    public EventDecodingException(String message, String type, String field, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.field = field;
    }

    public EventDecodingException(String message, String type, String field) {
        this(message, type, field, null);
    }

    public String type() {
        return type;
    }

    public String field() {
        return field;
    }
}
