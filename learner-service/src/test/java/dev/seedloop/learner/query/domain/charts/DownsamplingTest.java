package dev.seedloop.learner.query.domain.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;

import org.junit.jupiter.api.Test;

class DownsamplingTest {

    @Test
    void fewerPointsThanTheBudgetAreAllKept() {
        assertThat(Downsampling.keep(new double[] {3, 1, 2}, new BitSet(), 3)).containsExactly(0, 1, 2);
        assertThat(Downsampling.keep(new double[0], new BitSet(), 10)).isEmpty();
    }

    @Test
    void eachStretchKeepsItsLowestAndHighestAndTheLatestIsAlwaysKept() {
        double[] values = {5, 1, 9, 3, 7, 2, 8, 4, 6, 0};

        // The latest (9), then two stretches of the other nine: [5 1 9 3] and [7 2 8 4 6].
        assertThat(Downsampling.keep(values, new BitSet(), 5)).containsExactly(1, 2, 5, 6, 9);
    }

    @Test
    void requiredPointsAreKeptAndTheStretchesShareWhatIsLeft() {
        double[] values = {5, 1, 9, 3, 7, 2, 8, 4, 6, 0};
        BitSet required = new BitSet();
        required.set(3);

        // 3 and 9 required; three slots left: one stretch of the other eight, its lowest (1) and highest (2).
        assertThat(Downsampling.keep(values, required, 5)).containsExactly(1, 2, 3, 9);
    }

    @Test
    void aFlatStretchKeepsItsFirstAndLast() {
        assertThat(Downsampling.keep(new double[] {2, 2, 2, 2, 2, 2}, new BitSet(), 3)).containsExactly(0, 4, 5);
    }

    @Test
    void moreRequiredPointsThanTheBudgetArePickedAtAnEvenStride() {
        BitSet required = new BitSet();
        required.set(0, 9);

        assertThat(Downsampling.keep(new double[10], required, 4)).containsExactly(0, 4, 8, 9);
        assertThat(Downsampling.keep(new double[10], required, 2)).containsExactly(8, 9);
        assertThat(Downsampling.keep(new double[10], required, 1)).containsExactly(9);
    }

    @Test
    void aBudgetBelowOneIsAnError() {
        assertThatThrownBy(() -> Downsampling.keep(new double[] {1}, new BitSet(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
