package dev.seedloop.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.seedloop.queries.Views.ModelSpendView;

class ModelSpendTextTest {

    @Test
    void callsTokensCostAndTheProjectionAgainstTheCap() {
        assertThat(ModelSpendText.of(new ModelSpendView(12, 0, 0, 40_100, 8_100, 0.31, null, null, 5.0, 1.02)))
                .isEqualTo("12 calls, 48.2k tokens, $0.31 (projected $1.02 of $5.00 cap)");
    }

    @Test
    void capsOnCallsAndTokensShowAsFractionsAndFailedAndReplayedCallsAreNamed() {
        assertThat(ModelSpendText.of(new ModelSpendView(30, 2, 5, 1_000_000, 250_000, 0.0042, 40L, 2_000_000L, null,
                null))).isEqualTo("30/40 calls (2 failed, 5 replayed), 1.25M/2M tokens, $0.0042");
    }

    @Test
    void aStudyWithACapAndNoCallYetShowsTheCap() {
        assertThat(ModelSpendText.of(new ModelSpendView(0, 0, 0, 0, 0, 0.0, null, null, 2.5, null)))
                .isEqualTo("0 calls, 0 tokens, $0.00 (of $2.50 cap)");
        assertThat(ModelSpendText.of(new ModelSpendView(1, 0, 1, 0, 0, 0.0, null, null, null, null)))
                .isEqualTo("1 call (1 replayed), 0 tokens, $0.00");
    }
}
