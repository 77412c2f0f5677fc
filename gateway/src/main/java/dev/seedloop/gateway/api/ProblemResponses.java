package dev.seedloop.gateway.api;

/**
 * Names of the shared problem+json responses declared in {@link ApiSecurity}, for
 * {@code @APIResponse(responseCode = "404", ref = ProblemResponses.NOT_FOUND)}: each operation lists the 4xx (and 503)
 * it really answers, and the document says once what each means. 401 and 403 are added by {@link OpenApiRules}.
 */
public final class ProblemResponses {

    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String NOT_FOUND = "NotFound";
    public static final String NOT_ACCEPTABLE = "NotAcceptable";
    public static final String CONFLICT = "Conflict";
    public static final String PAYLOAD_TOO_LARGE = "PayloadTooLarge";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UnsupportedMediaType";
    public static final String TOO_MANY_REQUESTS = "TooManyRequests";
    public static final String SERVICE_UNAVAILABLE = "ServiceUnavailable";

    private ProblemResponses() {
    }
}
