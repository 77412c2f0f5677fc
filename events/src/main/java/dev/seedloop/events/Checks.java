package dev.seedloop.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Argument checks shared by the records; failures are IllegalArgumentException naming the field. */
final class Checks {

    private Checks() {
    }

    static <T> T notNull(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
        return value;
    }

    static String notBlank(String value, String field) {
        notNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    private static final java.util.regex.Pattern TREE_HASH = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}");

    /** A content hash as every event writes it: {@code "sha256:"} and 64 lower-case hex digits. */
    static String contentHash(String value, String field) {
        notNull(value, field);
        if (!TREE_HASH.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be sha256: and 64 lower-case hex digits but was '"
                    + (value.length() > 80 ? value.substring(0, 80) + "..." : value) + "'");
        }
        return value;
    }

    static int atLeast(int value, int min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
        return value;
    }

    static long atLeast(long value, long min, String field) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be >= " + min + " but was " + value);
        }
        return value;
    }

    static <T> List<T> list(List<T> value, String field) {
        notNull(value, field);
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i) == null) {
                throw new IllegalArgumentException(field + "[" + i + "] must not be null");
            }
        }
        return List.copyOf(value);
    }

    /** Unmodifiable copy that keeps insertion order, because the wire format and hashes depend on it. */
    static <V> Map<String, V> orderedMap(Map<String, V> value, String field) {
        notNull(value, field);
        LinkedHashMap<String, V> copy = new LinkedHashMap<>();
        value.forEach((k, v) -> {
            if (k == null) {
                throw new IllegalArgumentException(field + " must not contain a null key");
            }
            if (v == null) {
                throw new IllegalArgumentException(field + "['" + k + "'] must not be null");
            }
            copy.put(k, v);
        });
        return Collections.unmodifiableMap(copy);
    }

    static Map<String, Double> finiteDoubles(Map<String, Double> value, String field) {
        Map<String, Double> copy = orderedMap(value, field);
        copy.forEach((k, v) -> {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(field + "['" + k + "'] must be finite but was " + v);
            }
        });
        return copy;
    }
}
