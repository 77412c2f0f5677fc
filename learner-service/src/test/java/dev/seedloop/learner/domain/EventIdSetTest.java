package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class EventIdSetTest {

    private static List<UUID> ids(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(new UUID(rng.nextLong(), rng.nextLong()));
        }
        return ids;
    }

    @Test
    void keepsInsertionOrderAndAnswersMembershipAcrossGrowth() {
        List<UUID> ids = ids(5_000, 1);
        EventIdSet.Builder b = new EventIdSet.Builder();
        for (UUID id : ids) {
            assertThat(b.add(id)).isTrue();
            assertThat(b.add(id)).isFalse();
        }
        EventIdSet set = b.build();

        assertThat(set.size()).isEqualTo(ids.size());
        assertThat(set).containsExactlyElementsOf(ids);
        assertThat(ids).allMatch(set::contains);
        assertThat(ids(1_000, 2)).noneMatch(set::contains);
        assertThat(set.get(4_999)).isEqualTo(ids.getLast());
    }

    @Test
    void aBuilderFromASetLeavesTheSetAsItWas() {
        List<UUID> ids = ids(100, 3);
        EventIdSet set = EventIdSet.of(ids.subList(0, 50));

        EventIdSet.Builder more = set.toBuilder();
        ids.subList(50, 100).forEach(more::add);
        EventIdSet bigger = more.build();

        assertThat(set.size()).isEqualTo(50);
        assertThat(set.contains(ids.get(75))).isFalse();
        assertThat(bigger).containsExactlyElementsOf(ids);
    }

    @Test
    void equalityIsSetEqualityButTheDigestFollowsTheOrder() {
        List<UUID> ids = ids(10, 4);
        List<UUID> reversed = new ArrayList<>(ids.reversed());
        EventIdSet forward = EventIdSet.of(ids);
        EventIdSet backward = EventIdSet.of(reversed);

        assertThat(forward).isEqualTo(backward).hasSameHashCodeAs(backward);
        assertThat(forward.hashCode()).isEqualTo(new HashSet<>(ids).hashCode());
        assertThat(forward.sha256()).isNotEqualTo(backward.sha256()).isEqualTo(EventIdSet.of(ids).sha256());
        // SHA-256 of no bytes at all.
        assertThat(EventIdSet.EMPTY.sha256())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(EventIdSet.EMPTY.contains(ids.getFirst())).isFalse();
    }
}
