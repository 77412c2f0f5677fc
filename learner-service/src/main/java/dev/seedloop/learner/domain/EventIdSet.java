package dev.seedloop.learner.domain;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The ids of the events a study's fold has applied, in the order it applied them. Immutable.
 *
 * <p>It grows by one id per event for the study's whole life, so it is stored flat: each id as two
 * {@code long}s in one array plus an open-addressing index of {@code int}s, about 24 bytes per id instead
 * of the ~90 a {@code LinkedHashSet<UUID>} costs (a million events: ~24 MB rather than ~90 MB).
 * {@link Builder} is the mutable form a fold works on.
 */
public final class EventIdSet implements Iterable<UUID> {

    public static final EventIdSet EMPTY = new EventIdSet(new long[0], new int[1], 0);

    /** Ids as (most, least) significant halves, in insertion order; only the first {@code 2 * size} are used. */
    private final long[] halves;
    /** Open addressing, linear probing: slot = position + 1, 0 = empty. Length a power of two, at most half full. */
    private final int[] index;
    private final int size;

    private EventIdSet(long[] halves, int[] index, int size) {
        this.halves = halves;
        this.index = index;
        this.size = size;
    }

    /** A set of the given ids, first occurrence of each kept, in order. */
    public static EventIdSet of(Iterable<UUID> ids) {
        Builder b = new Builder();
        ids.forEach(b::add);
        return b.build();
    }

    /**
     * The set of ids given as (most, least) halves, in that order, without a builder's growing: what a
     * snapshot decodes, all at once. {@code halves} is kept, not copied.
     *
     * @throws IllegalArgumentException if an id occurs twice
     */
    public static EventIdSet ofDistinct(long[] halves) {
        int size = halves.length / 2;
        if (size == 0) {
            return EMPTY;
        }
        int[] index = new int[Builder.capacityFor(size)];
        int mask = index.length - 1;
        for (int position = 0; position < size; position++) {
            long most = halves[2 * position];
            long least = halves[2 * position + 1];
            int slot = slot(most, least, mask);
            for (; index[slot] != 0; slot = (slot + 1) & mask) {
                int other = index[slot] - 1;
                if (halves[2 * other] == most && halves[2 * other + 1] == least) {
                    throw new IllegalArgumentException("event id " + new UUID(most, least) + " occurs twice");
                }
            }
            index[slot] = position + 1;
        }
        return new EventIdSet(halves, index, size);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean contains(UUID id) {
        return find(halves, index, id.getMostSignificantBits(), id.getLeastSignificantBits()) >= 0;
    }

    /** The id added {@code position}-th (0 first). */
    public UUID get(int position) {
        if (position < 0 || position >= size) {
            throw new IndexOutOfBoundsException(position);
        }
        return new UUID(halves[2 * position], halves[2 * position + 1]);
    }

    @Override
    public void forEach(Consumer<? super UUID> action) {
        for (int i = 0; i < size; i++) {
            action.accept(new UUID(halves[2 * i], halves[2 * i + 1]));
        }
    }

    @Override
    public Iterator<UUID> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public UUID next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return get(next++);
            }
        };
    }

    /**
     * SHA-256 of the ids in insertion order, 16 big-endian bytes each, in hex: what {@link StateJson} shows
     * instead of the ids themselves, which are the study's stored event ids and would dwarf the rest.
     */
    public String sha256() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] chunk = new byte[16 * 1024];
        int used = 0;
        for (int i = 0; i < 2 * size; i++) {
            long half = halves[i];
            for (int shift = 56; shift >= 0; shift -= 8) {
                chunk[used++] = (byte) (half >>> shift);
            }
            if (used == chunk.length) {
                digest.update(chunk, 0, used);
                used = 0;
            }
        }
        digest.update(chunk, 0, used);
        return HexFormat.of().formatHex(digest.digest());
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** Set equality, as for {@link java.util.Set}: the same ids, whatever the order. */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof EventIdSet that) || that.size != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (find(that.halves, that.index, halves[2 * i], halves[2 * i + 1]) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < size; i++) {
            // UUID.hashCode, summed so the order does not matter (as Set.hashCode).
            long bits = halves[2 * i] ^ halves[2 * i + 1];
            h += (int) (bits >> 32) ^ (int) bits;
        }
        return h;
    }

    @Override
    public String toString() {
        return "EventIdSet[" + size + " ids]";
    }

    /** The position of the id, or -1. */
    private static int find(long[] halves, int[] index, long most, long least) {
        int mask = index.length - 1;
        for (int slot = slot(most, least, mask); ; slot = (slot + 1) & mask) {
            int entry = index[slot];
            if (entry == 0) {
                return -1;
            }
            int position = entry - 1;
            if (halves[2 * position] == most && halves[2 * position + 1] == least) {
                return position;
            }
        }
    }

    private static int slot(long most, long least, int mask) {
        long h = (most ^ least) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & mask;
    }

    /** The mutable form: a fold adds to it event by event, then {@link #build()} freezes a copy. */
    static final class Builder {
        private long[] halves;
        private int[] index;
        private int size;

        Builder() {
            halves = new long[32];
            index = new int[32];
        }

        private Builder(EventIdSet from) {
            size = from.size;
            halves = Arrays.copyOf(from.halves, Math.max(32, 2 * from.size + 32));
            index = from.index.length >= 2 * (from.size + 16) ? from.index.clone()
                    : rehash(halves, from.size, capacityFor(from.size + 16));
        }

        boolean contains(UUID id) {
            return find(halves, index, id.getMostSignificantBits(), id.getLeastSignificantBits()) >= 0;
        }

        int size() {
            return size;
        }

        /** Adds the id unless present; returns whether it was added. */
        boolean add(UUID id) {
            return add(id.getMostSignificantBits(), id.getLeastSignificantBits());
        }

        /** {@link #add(UUID)} for an id given by its halves. */
        boolean add(long most, long least) {
            int mask = index.length - 1;
            int slot = slot(most, least, mask);
            for (; index[slot] != 0; slot = (slot + 1) & mask) {
                int position = index[slot] - 1;
                if (halves[2 * position] == most && halves[2 * position + 1] == least) {
                    return false;
                }
            }
            if (2 * size + 2 > halves.length) {
                halves = Arrays.copyOf(halves, 2 * halves.length);
            }
            halves[2 * size] = most;
            halves[2 * size + 1] = least;
            size++;
            if (2 * size > index.length) {
                index = rehash(halves, size, 2 * index.length);
            } else {
                index[slot] = size;
            }
            return true;
        }

        EventIdSet build() {
            if (size == 0) {
                return EMPTY;
            }
            long[] ids = Arrays.copyOf(halves, 2 * size);
            int capacity = capacityFor(size);
            return new EventIdSet(ids, capacity == index.length ? index.clone() : rehash(ids, size, capacity), size);
        }

        /** The smallest power of two at least twice {@code size}. */
        private static int capacityFor(int size) {
            return Math.max(2, Integer.highestOneBit(Math.max(1, 2 * size - 1)) << 1);
        }

        private static int[] rehash(long[] halves, int size, int capacity) {
            int[] table = new int[capacity];
            int mask = capacity - 1;
            for (int position = 0; position < size; position++) {
                int slot = slot(halves[2 * position], halves[2 * position + 1], mask);
                while (table[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = position + 1;
            }
            return table;
        }
    }
}
