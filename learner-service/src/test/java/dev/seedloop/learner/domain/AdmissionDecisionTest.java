package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;

/** Given what the team uses and holds, when a study asks to be admitted, then this answer and this reservation. */
class AdmissionDecisionTest {

    private static final Instant NOW = Instant.parse("2026-11-28T21:30:00.123456789Z");
    private static final Duration TTL = Duration.ofSeconds(60);
    private static final Query.AdmitStudy ASK = new Query.AdmitStudy("team-a", "study-1", 10, 2, 100);

    private static Admission.Usage usage(int active, int held, int experimentsToday) {
        return new Admission.Usage(null, null, active, held, experimentsToday, null, null);
    }

    @Test
    void anAdmittedStudyHoldsAPlaceUntilTheReservationLapses() {
        Admission.Decision decision = Admission.decide(ASK, usage(1, 0, 0), NOW, TTL);

        Instant until = Instant.parse("2026-11-28T21:31:00.123Z");
        assertThat(decision.answer()).isEqualTo(new Views.AdmissionView(true, until, null, null, null, null));
        assertThat(decision.hold()).isEqualTo(new Admission.Reservation("study-1", "team-a", 10,
                Instant.parse("2026-11-28T21:30:00.123Z"), until));
    }

    @Test
    void heldPlacesCountAsActiveStudies() {
        Admission.Decision decision = Admission.decide(ASK, usage(1, 1, 0), NOW, TTL);

        assertThat(decision.answer().admitted()).isFalse();
        assertThat(decision.answer().status()).isEqualTo(429);
        assertThat(decision.answer().retryAfterSeconds()).isEqualTo(60);
        assertThat(decision.answer().detail()).contains("2 active studies");
        assertThat(decision.hold()).isNull();
    }

    @Test
    void theTeamsOwnQuotasOverrideTheDefaultsTheQueryCarries() {
        Admission.Usage raised = new Admission.Usage(5, 1000, 3, 1, 0, null, null);
        Admission.Usage lowered = new Admission.Usage(1, 1000, 1, 0, 0, null, null);

        assertThat(Admission.decide(ASK, raised, NOW, TTL).answer().admitted()).isTrue();
        assertThat(Admission.decide(ASK, lowered, NOW, TTL).answer().admitted()).isFalse();
    }

    @Test
    void aUsedUpDayIsRetriedAtMidnightInWholeSeconds() {
        Admission.Decision decision = Admission.decide(ASK, usage(0, 0, 100), NOW, TTL);

        assertThat(decision.answer().status()).isEqualTo(429);
        // 2h29m59.877s to midnight UTC, rounded up.
        assertThat(decision.answer().retryAfterSeconds()).isEqualTo(Duration.ofMinutes(150).toSeconds());
    }

    @Test
    void askingMoreThanTheDailyQuotaIsForbiddenWithoutRetry() {
        Admission.Decision decision = Admission.decide(new Query.AdmitStudy("team-a", "study-1", 101, 2, 100),
                usage(0, 0, 0), NOW, TTL);

        assertThat(decision.answer().status()).isEqualTo(403);
        assertThat(decision.answer().retryAfterSeconds()).isNull();
        assertThat(decision.hold()).isNull();
    }

    @Test
    void askingAgainWhileThePlaceIsHeldAnswersTheSameAndHoldsNothingMore() {
        Instant until = NOW.plusSeconds(30);
        Admission.Reservation held = new Admission.Reservation("study-1", "team-a", 10, NOW.minusSeconds(30), until);
        // The team's places are all taken, this study's own among them: it is not counted against itself.
        Admission.Usage full = new Admission.Usage(null, null, 2, 0, 0, held, null);

        Admission.Decision decision = Admission.decide(ASK, full, NOW, TTL);

        assertThat(decision.answer()).isEqualTo(new Views.AdmissionView(true, until, null, null, null, null));
        assertThat(decision.hold()).isNull();
    }

    @Test
    void aLapsedReservationIsDecidedAfresh() {
        Admission.Reservation lapsed = new Admission.Reservation("study-1", "team-a", 10, NOW.minusSeconds(120),
                NOW.minusSeconds(60));

        Admission.Decision free = Admission.decide(ASK, new Admission.Usage(null, null, 1, 0, 0, lapsed, null), NOW,
                TTL);
        Admission.Decision full = Admission.decide(ASK, new Admission.Usage(null, null, 2, 0, 0, lapsed, null), NOW,
                TTL);

        assertThat(free.hold()).isNotNull();
        assertThat(free.hold().expiresAt()).isAfter(NOW);
        assertThat(full.answer().admitted()).isFalse();
    }

    @Test
    void aStudyCreatedAlreadyIsAdmittedWithoutAPlaceOfItsOwn() {
        Admission.Decision decision = Admission.decide(ASK, new Admission.Usage(null, null, 2, 0, 0, null, "team-a"),
                NOW, TTL);

        assertThat(decision.answer().admitted()).isTrue();
        assertThat(decision.answer().reservedUntil()).isNull();
        assertThat(decision.hold()).isNull();
    }

    @Test
    void anotherTeamsStudyOrPlaceUnderTheSameIdIsForbidden() {
        Admission.Reservation theirs = new Admission.Reservation("study-1", "team-b", 10, NOW, NOW.plusSeconds(60));

        assertThat(Admission.decide(ASK, new Admission.Usage(null, null, 0, 0, 0, null, "team-b"), NOW, TTL).answer()
                .status()).isEqualTo(403);
        assertThat(Admission.decide(ASK, new Admission.Usage(null, null, 0, 0, 0, theirs, null), NOW, TTL).answer()
                .status()).isEqualTo(403);
    }
}
