package dev.seedloop.learner.domain;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.ToIntFunction;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * What the learner puts into events and replies measured as the codec writes it: UTF-8 JSON bytes. Events may
 * not exceed {@link dev.seedloop.events.EventLimits#MAX_EVENT_BYTES}, so a history an event carries is cut by bytes
 * as well as by count, keeping its latest items.
 */
public final class EncodedSize {

    /** Payload records are written by Jackson with its defaults, as {@link dev.seedloop.events.EventCodec} does. */
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private EncodedSize() {
    }

    /** Bytes of {@code value} as JSON, counted without keeping them. */
    public static int of(Object value) {
        Counter counter = new Counter();
        try {
            MAPPER.writeValue(counter, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + value.getClass().getSimpleName(), e);
        }
        return Math.toIntExact(counter.bytes);
    }

    /**
     * The longest run of {@code items} ending with the last one that holds at most {@code maxCount} items and
     * whose JSON array takes at most {@code maxBytes}: a history that keeps what is most recent. Empty when not
     * even the last item fits.
     */
    public static <T> List<T> latestWithin(List<T> items, int maxCount, long maxBytes) {
        return latestWithin(items, maxCount, maxBytes, EncodedSize::of);
    }

    /** {@link #latestWithin(List, int, long)} with the items' sizes measured by {@code size}. */
    static <T> List<T> latestWithin(List<T> items, int maxCount, long maxBytes, ToIntFunction<T> size) {
        long used = 2; // the array's brackets
        int from = items.size();
        while (from > 0 && items.size() - from < maxCount) {
            // Every item but the first of the array is preceded by a comma.
            long next = used + size.applyAsInt(items.get(from - 1)) + (from == items.size() ? 0 : 1);
            if (next > maxBytes) {
                break;
            }
            used = next;
            from--;
        }
        return from == 0 ? items : items.subList(from, items.size());
    }

    private static final class Counter extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
