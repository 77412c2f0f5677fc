package dev.seedloop.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Event and entity id generation. Clock and randomness are passed in so tests and replays are
 * deterministic.
 */
public final class EventIds {

    private EventIds() {
    }

    /**
     * UUID version 7 (RFC 9562): 48-bit Unix milliseconds, version 7, 74 random bits, variant 10.
     * Ids from later milliseconds sort after earlier ones (by {@link UUID#compareTo} and as
     * strings); ids within the same millisecond are in random order.
     */
    public static UUID timeOrdered(Clock clock, RandomGenerator random) {
        long millis = clock.millis();
        if (millis < 0 || millis >= (1L << 48)) {
            throw new IllegalArgumentException("clock millis out of UUIDv7 range: " + millis);
        }
        long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /**
     * Deterministic id for something caused by {@code cause} for a given {@code purpose}
     * (e.g. {@code "experiment"}), so a retried handler derives the same id and downstream
     * deduplication works. Layout: first 128 bits of SHA-256(cause bytes || UTF-8 purpose) with
     * version 8 and variant 10 (RFC 9562 custom UUID). The cause has a fixed 16-byte width, so the
     * concatenation is unambiguous.
     */
    public static UUID derived(UUID cause, String purpose) {
        Checks.notNull(cause, "cause");
        Checks.notBlank(purpose, "purpose");
        byte[] p = purpose.getBytes(StandardCharsets.UTF_8);
        ByteBuffer in = ByteBuffer.allocate(16 + p.length)
                .putLong(cause.getMostSignificantBits())
                .putLong(cause.getLeastSignificantBits())
                .put(p);
        ByteBuffer h = ByteBuffer.wrap(ContentHash.digest(in.array()));
        long msb = (h.getLong() & ~0xF000L) | 0x8000L;
        long lsb = (h.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
