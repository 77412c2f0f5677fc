package dev.seedloop.events;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTest {

    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00.123Z");

    @Test
    void timeOrderedIdsAreVersion7AndSortByMillisecond() {
        var random = new SplittableRandom(42);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add(EventIds.timeOrdered(Clock.fixed(T0.plusMillis(i), ZoneOffset.UTC), random));
        }
        assertThat(ids).isSorted();
        assertThat(ids.stream().map(UUID::toString).toList()).isSorted();
        for (UUID id : ids) {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        }
        assertThat(ids.get(0).getMostSignificantBits() >>> 16).isEqualTo(T0.toEpochMilli());
        assertThat(ids.get(0).toString()).startsWith(String.format("%08x-%04x-7", T0.toEpochMilli() >>> 16, T0.toEpochMilli() & 0xFFFF));
    }

    @Test
    void timeOrderedIdsWithinOneMillisecondDifferByRandomBits() {
        var clock = Clock.fixed(T0, ZoneOffset.UTC);
        var random = new SplittableRandom(7);
        var seen = new HashSet<UUID>();
        for (int i = 0; i < 1000; i++) {
            seen.add(EventIds.timeOrdered(clock, random));
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void sameClockAndSeedGiveTheSameId() {
        var clock = Clock.fixed(T0, ZoneOffset.UTC);
        assertThat(EventIds.timeOrdered(clock, new SplittableRandom(1)))
                .isEqualTo(EventIds.timeOrdered(clock, new SplittableRandom(1)));
    }

    @Test
    void derivedIdsAreDeterministicAndDifferPerPurposeAndCause() {
        UUID cause = SampleEvents.PROPOSAL_ID;
        UUID a = EventIds.derived(cause, "experiment");
        assertThat(EventIds.derived(cause, "experiment")).isEqualTo(a);
        assertThat(EventIds.derived(cause, "evaluation")).isNotEqualTo(a);
        assertThat(EventIds.derived(SampleEvents.PARENT_PROPOSAL_ID, "experiment")).isNotEqualTo(a);
        assertThat(a.version()).isEqualTo(8);
        assertThat(a.variant()).isEqualTo(2);
        // Pinned so an accidental change of the derivation (which would break retry dedup) fails.
        assertThat(EventIds.derived(new UUID(0, 0), "x")).hasToString("e3334163-81d4-8a5a-83dd-56f28c2bc537");
        assertThat(a).hasToString("18dc55f1-bbfa-8279-b374-063c0f38a1dc");
    }

    @Test
    void contentHashKnownVectors() {
        assertThat(ContentHash.sha256("abc"))
                .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ContentHash.sha256(new byte[0]))
                .isEqualTo("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(ContentHash.sha256("héllo")).isEqualTo(ContentHash.sha256("héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
