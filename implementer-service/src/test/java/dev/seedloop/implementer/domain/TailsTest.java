package dev.seedloop.implementer.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TailsTest {

    @Test
    void firstBytesKeepsShortTextAndCutsLongTextAtACharacter() {
        assertThat(Tails.firstBytes("short", 10)).isEqualTo("short");
        assertThat(Tails.firstBytes(null, 10)).isEmpty();
        String cut = Tails.firstBytes("é".repeat(100), 11);
        assertThat(cut).isEqualTo("éééé...");
        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(11);
    }

    @Test
    void lastBytesKeepsTheEnd() {
        assertThat(Tails.lastBytes("abcdef", 3)).isEqualTo("def");
        assertThat(Tails.lastBytes("aé", 2)).isEqualTo("é");
    }
}
