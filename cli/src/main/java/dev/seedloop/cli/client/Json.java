package dev.seedloop.cli.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The CLI's one JSON mapper. Unknown fields are ignored (the gateway may add some), Instants are ISO-8601
 * text, and numbers in trees keep their digits ({@code 1.0} stays {@code 1.0}) so what {@code --output json}
 * re-emits from a tree is what the gateway sent.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private Json() {
    }

    /** @throws CliException (unexpected) when the text is not the expected JSON */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCode.UNEXPECTED, "Unexpected answer, not a " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** @throws CliException (unexpected) when the text is not JSON */
    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCode.UNEXPECTED, "Unexpected answer, not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static <T> T convert(JsonNode tree, Class<T> type) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw new CliException(ExitCode.UNEXPECTED, "Unexpected JSON, not a " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Compact, one line: what scripts read with jq, one document a line. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }
}
