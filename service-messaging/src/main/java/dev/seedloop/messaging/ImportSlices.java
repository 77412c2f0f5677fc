package dev.seedloop.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Topics;

/**
 * The records of {@link Topics#IMPORTS}: each is a contiguous slice of one imported study's events, already placed
 * under the importing team's study id by the gateway, as JSON lines in the study's order.
 */
public final class ImportSlices {

    private ImportSlices() {
    }

    /** The events of a slice in order; a line that does not decode is handed to {@code undecodable} and skipped. */
    public static List<EventEnvelope> decode(EventCodec codec, byte[] slice, Consumer<RuntimeException> undecodable) {
        List<EventEnvelope> events = new ArrayList<>();
        new String(slice, StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).forEach(line -> {
            try {
                events.add(codec.decode(line.getBytes(StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                undecodable.accept(e);
            }
        });
        return events;
    }
}
