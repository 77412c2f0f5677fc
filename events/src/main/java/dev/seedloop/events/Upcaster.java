package dev.seedloop.events;

import java.util.Map;

/**
 * Migrates the payload JSON of one event type from {@link #fromVersion()} to
 * {@code fromVersion() + 1}. The codec chains upcasters step by step up to the current version,
 * so stored events are never rewritten.
 *
 * <p>The payload is handed over as plain Java values so implementations need no Jackson types:
 * a mutable {@code LinkedHashMap<String, Object>} whose values are {@code String}, {@code Boolean},
 * {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, {@code null}, nested
 * {@code Map<String, Object>} or {@code List<Object>}. Return the new payload (mutating and
 * returning the argument is fine). Implementations must be pure and thread-safe.
 */
public interface Upcaster {

    String type();

    int fromVersion();

    Map<String, Object> upcast(Map<String, Object> payload);
}
