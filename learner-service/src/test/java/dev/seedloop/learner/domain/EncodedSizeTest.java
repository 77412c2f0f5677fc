package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.seedloop.events.Observation;
import dev.seedloop.learner.projection.application.JsonEncodedSize;

class EncodedSizeTest {

    private static List<Observation> observations(int count) {
        List<Observation> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(new Observation(UUID.nameUUIDFromBytes(new byte[] {(byte) i}), i, "random",
                    Map.of("x", "é".repeat(i % 7) + i), i % 3 == 0 ? null : 0.5 * i));
        }
        return all;
    }

    private static int json(Object value) throws Exception {
        return JsonMapper.builder().build().writeValueAsBytes(value).length;
    }

    @Test
    void measuresUtf8JsonAsWritten() throws Exception {
        for (Observation o : observations(10)) {
            assertThat(JsonEncodedSize.INSTANCE.of(o)).isEqualTo(json(o));
        }
    }

    @Test
    void theLatestRunThatFitsIsTheLongestWhoseArrayFits() throws Exception {
        List<Observation> all = observations(40);
        int budget = json(all.subList(25, 40));

        List<Observation> kept = JsonEncodedSize.INSTANCE.latestWithin(all, 500, budget);

        assertThat(kept).containsExactlyElementsOf(all.subList(25, 40));
        assertThat(JsonEncodedSize.INSTANCE.latestWithin(all, 500, budget - 1)).containsExactlyElementsOf(all.subList(26, 40));
        assertThat(JsonEncodedSize.INSTANCE.latestWithin(all, 10, Long.MAX_VALUE)).containsExactlyElementsOf(all.subList(30, 40));
        assertThat(JsonEncodedSize.INSTANCE.latestWithin(all, 500, Long.MAX_VALUE)).isSameAs(all);
        assertThat(JsonEncodedSize.INSTANCE.latestWithin(all, 500, 3)).isEmpty();
    }
}
