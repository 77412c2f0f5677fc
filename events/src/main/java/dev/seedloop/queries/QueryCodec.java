package dev.seedloop.queries;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** JSON for queries, replies and views. Thread-safe. Unknown fields are ignored so either side may add some. */
public final class QueryCodec {

    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public byte[] encode(Query query) {
        return write(query);
    }

    public byte[] encode(QueryReply reply) {
        return write(reply);
    }

    /** @throws IllegalArgumentException if the bytes are not a known query */
    public Query decodeQuery(byte[] json) {
        try {
            return mapper.readValue(json, Query.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a query: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not a reply */
    public QueryReply decodeReply(byte[] json) {
        try {
            return mapper.readValue(json, QueryReply.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a query reply: " + e.getMessage(), e);
        }
    }

    public QueryReply ok(Object view) {
        return new QueryReply(QueryReply.Outcome.OK, null, mapper.valueToTree(view));
    }

    public static QueryReply notFound(String detail) {
        return new QueryReply(QueryReply.Outcome.NOT_FOUND, detail, null);
    }

    public static QueryReply invalid(String detail) {
        return new QueryReply(QueryReply.Outcome.INVALID, detail, null);
    }

    public static QueryReply failed(String detail) {
        return new QueryReply(QueryReply.Outcome.FAILED, detail, null);
    }

    /** The body of an ok reply as the view type the query names. */
    public <T> T body(QueryReply reply, Class<T> viewType) {
        if (reply.outcome() != QueryReply.Outcome.OK || reply.body() == null) {
            throw new IllegalStateException("reply has no body: " + reply.outcome() + " " + reply.detail());
        }
        try {
            return mapper.treeToValue(reply.body(), viewType);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("reply body is not a " + viewType.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Parses stored envelope text into a tree for {@link Views.StoredEventView}. */
    public JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
