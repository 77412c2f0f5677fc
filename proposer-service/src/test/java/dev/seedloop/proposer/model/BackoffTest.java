package dev.seedloop.proposer.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), new SplittableRandom(1));

    @Test
    void theCeilingDoublesPerFailedAttemptUpToTheMaximum() {
        assertThat(backoff.ceilingMillis(1)).isEqualTo(100);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(200);
        assertThat(backoff.ceilingMillis(4)).isEqualTo(800);
        assertThat(backoff.ceilingMillis(5)).isEqualTo(1000);
        assertThat(backoff.ceilingMillis(500)).isEqualTo(1000);
    }

    @Test
    void waitsAreSpreadOverTheWholeRangeUnderTheCeiling() {
        long below50 = 0;
        long above150 = 0;
        for (int i = 0; i < 2_000; i++) {
            long wait = backoff.after(2, null).toMillis();
            assertThat(wait).isBetween(0L, 200L);
            below50 += wait < 50 ? 1 : 0;
            above150 += wait > 150 ? 1 : 0;
        }
        // Full jitter: roughly a quarter of the waits in each end of [0, 200].
        assertThat(below50).isBetween(350L, 650L);
        assertThat(above150).isBetween(350L, 650L);
    }

    @Test
    void aLongerRetryAfterIsHonouredUpToTheMaximum() {
        assertThat(backoff.after(1, Duration.ofMillis(700))).isEqualTo(Duration.ofMillis(700));
        assertThat(backoff.after(1, Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(1));
    }
}
