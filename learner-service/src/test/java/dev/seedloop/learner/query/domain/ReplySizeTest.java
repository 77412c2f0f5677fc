package dev.seedloop.learner.query.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.seedloop.queries.Query;

class ReplySizeTest {

    /** Items of {@code bytes} envelope bytes at sequences 1.. (one digit: 23 bytes of frame, +1 comma after the first). */
    private static List<ReplySize.StoredSize> events(int count, long bytes) {
        return LongStream.rangeClosed(1, count).mapToObj(sequence -> new ReplySize.StoredSize(sequence, bytes)).toList();
    }

    @Test
    void aPageEndsWhereTheNextEventWouldExceedTheBudget() {
        // 60 (empty reply) + 100 + 3 x 101 = 463 <= 500; a fifth would make 564.
        assertThat(ReplySize.page(events(9, 77), 8, 60, 500)).isEqualTo(new ReplySize.Cut(4, true));
        assertThat(ReplySize.page(events(9, 77), 8, 60, 463)).isEqualTo(new ReplySize.Cut(4, true));
        assertThat(ReplySize.page(events(9, 77), 8, 60, 462)).isEqualTo(new ReplySize.Cut(3, true));
    }

    @Test
    void theCountLimitStillHoldsAndTheCandidateBeyondItSaysWhetherMoreFollow() {
        assertThat(ReplySize.page(events(4, 10), 3, 60, 1 << 20)).isEqualTo(new ReplySize.Cut(3, true));
        assertThat(ReplySize.page(events(3, 10), 3, 60, 1 << 20)).isEqualTo(new ReplySize.Cut(3, false));
        assertThat(ReplySize.page(List.of(), 3, 60, 1 << 20)).isEqualTo(new ReplySize.Cut(0, false));
    }

    @Test
    void aPageHoldsAtLeastOneEventEvenOverTheBudget() {
        assertThat(ReplySize.page(events(2, 10_000), 500, 60, 1_000)).isEqualTo(new ReplySize.Cut(1, true));
        assertThat(ReplySize.page(events(1, 10_000), 500, 60, 1_000)).isEqualTo(new ReplySize.Cut(1, false));
    }

    @Test
    void aReplyFitsAsItIsOrCompressedWithinTheProducersLimit() {
        assertThat(ReplySize.fits(600, 600, 640, 16_000)).isTrue();
        assertThat(ReplySize.fits(6_000, 600, 640, 16_000)).isTrue();
        assertThat(ReplySize.fits(6_000, 700, 640, 16_000)).isFalse();
        assertThat(ReplySize.fits(20_000, 600, 640, 16_000)).isFalse();
    }

    @Test
    void aTooLargeAnswerNamesItsSizeAndWhatToDo() {
        assertThat(ReplySize.tooLarge(new Query.GetLineage("t", "s", 0, 5000), 2_345_678, 1_234_567, 655_360))
                .contains("2,345,678 bytes").contains("1,234,567 compressed").contains("655,360")
                .contains("smaller page");
        assertThat(ReplySize.tooLarge(null, 2, 1, 1)).contains("2 bytes");
    }
}
