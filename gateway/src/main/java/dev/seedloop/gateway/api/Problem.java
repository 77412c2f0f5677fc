package dev.seedloop.gateway.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error the gateway answers. {@code errors} lists each
 * problem of a rejected input with its path, so a client can fix all of them at once; {@code retryAfterSeconds}
 * repeats the {@code Retry-After} header of a 429 for clients that only read bodies; {@code reason} is the stable code
 * of a refused workspace upload ({@code symlink-escapes}, {@code fifo}, {@code compression-ratio}, ...), of a refused
 * import's trees ({@code hash-mismatch}, {@code missing-blob}, ...) or of a diff over the limit ({@code diff-too-large}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
        List<FieldError> errors, Long retryAfterSeconds, String reason) {

    public Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
        this(type, title, status, detail, instance, errors, null, null);
    }

    public Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors,
            Long retryAfterSeconds) {
        this(type, title, status, detail, instance, errors, retryAfterSeconds, null);
    }

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One problem of an input: where it is ({@code budget.parallelism}) and what is wrong. */
    public record FieldError(String path, String message) {
    }
}
