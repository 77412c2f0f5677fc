package dev.seedloop.learner.domain;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A proposal's parameters as the lineage keeps them: immutable, in the proposal's order, in two arrays. A
 * study keeps one per proposal for its whole life, and a {@code LinkedHashMap} of three parameters costs
 * ~290 bytes where this costs ~100; names and string values are interned, so a study's proposals share them.
 * Lookups scan: a proposal has a handful of parameters.
 */
final class ParameterMap extends AbstractMap<String, Object> {

    private static final ParameterMap EMPTY = new ParameterMap(new String[0], new Object[0]);

    private final String[] keys;
    private final Object[] values;

    private ParameterMap(String[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    static ParameterMap copyOf(Map<String, Object> parameters) {
        if (parameters instanceof ParameterMap same) {
            return same;
        }
        if (parameters.isEmpty()) {
            return EMPTY;
        }
        String[] keys = new String[parameters.size()];
        Object[] values = new Object[parameters.size()];
        int i = 0;
        for (Map.Entry<String, Object> e : parameters.entrySet()) {
            keys[i] = e.getKey().intern();
            values[i] = e.getValue() instanceof String s ? s.intern() : e.getValue();
            i++;
        }
        return new ParameterMap(keys, values);
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return keys.length;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }
        };
    }
}
