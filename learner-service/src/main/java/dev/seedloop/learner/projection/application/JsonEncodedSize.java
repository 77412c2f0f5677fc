package dev.seedloop.learner.projection.application;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.seedloop.learner.application.ByteCounter;
import dev.seedloop.learner.domain.EncodedSize;

/**
 * {@link EncodedSize} as the event codec measures it: payload records written by Jackson with its defaults, as
 * {@link dev.seedloop.events.EventCodec} does, counted without keeping the bytes. Thread-safe.
 */
public final class JsonEncodedSize implements EncodedSize {

    public static final JsonEncodedSize INSTANCE = new JsonEncodedSize();

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonEncodedSize() {
    }

    @Override
    public int of(Object value) {
        ByteCounter counter = new ByteCounter();
        try {
            MAPPER.writeValue(counter, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + value.getClass().getSimpleName(), e);
        }
        return Math.toIntExact(counter.bytes());
    }
}
