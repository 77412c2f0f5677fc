package dev.seedloop.learner.domain;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What the learner puts into events measured as the event codec writes it: UTF-8 JSON bytes. Events may not exceed
 * {@link dev.seedloop.events.EventLimits#MAX_EVENT_BYTES}, so a history an event carries is cut by bytes as well as
 * by count, keeping its latest items. The measuring is the codec's business and lives outside {@code domain}
 * ({@code projection.JsonEncodedSize}); the domain is handed one, and cuts with it.
 */
@FunctionalInterface
public interface EncodedSize {

    /** Bytes of {@code value} as JSON, as the event codec writes it. */
    int of(Object value);

    /**
     * The longest run of {@code items} ending with the last one that holds at most {@code maxCount} items and
     * whose JSON array takes at most {@code maxBytes}: a history that keeps what is most recent. Empty when not
     * even the last item fits.
     */
    default <T> List<T> latestWithin(List<T> items, int maxCount, long maxBytes) {
        return latestWithin(items, maxCount, maxBytes, this::of);
    }

    /** {@link #latestWithin(List, int, long)} with the items' sizes measured by {@code size}. */
    static <T> List<T> latestWithin(List<T> items, int maxCount, long maxBytes, ToIntFunction<? super T> size) {
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
}
