package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class QuotaPolicyTest {

    private static final QuotaPolicy.Limits LIMITS = new QuotaPolicy.Limits(2, 100);
    private static final Instant NOW = Instant.parse("2026-11-28T21:30:00Z");

    @Test
    void aStudyWithinEveryQuotaIsAdmitted() {
        assertThat(QuotaPolicy.admit(LIMITS, 1, 99, 100, NOW)).isNull();
    }

    @Test
    void aBudgetLargerThanTheDailyQuotaCanNeverRunSoItIsForbidden() {
        QuotaPolicy.Refusal refusal = QuotaPolicy.admit(LIMITS, 0, 0, 101, NOW);
        assertThat(refusal.status()).isEqualTo(403);
        assertThat(refusal.retryAfter()).isNull();
    }

    @Test
    void tooManyActiveStudiesIsATemporaryRefusal() {
        QuotaPolicy.Refusal refusal = QuotaPolicy.admit(LIMITS, 2, 0, 10, NOW);
        assertThat(refusal.status()).isEqualTo(429);
        assertThat(refusal.detail()).contains("2 active studies");
    }

    @Test
    void aUsedUpDayRetriesAtUtcMidnight() {
        QuotaPolicy.Refusal refusal = QuotaPolicy.admit(LIMITS, 0, 100, 10, NOW);
        assertThat(refusal.status()).isEqualTo(429);
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofMinutes(150));
        assertThat(QuotaPolicy.dayStart(NOW)).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
    }
}
