package dev.seedloop.learner.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;

/**
 * The learner's admission of a study (ADR 0015): the {@link QuotaPolicy} applied to what the store holds for the
 * team, where a place held for an admitted study that is not created yet counts as an active study. An admitted
 * study holds its place ({@link Reservation}) until its StudyCreated is stored, which takes the place over, or until
 * the reservation lapses (a gateway that admitted and then never published). Asking again for the same study answers
 * the same admission and holds nothing more, so a retried request cannot take two places.
 *
 * <p>Pure: the caller reads {@link Usage} and applies the decision under a lock that serialises the team's
 * admissions, so the usage cannot change between the reading and the holding.
 */
public final class Admission {

    /** A place held for study {@code studyId} of {@code team} until {@code expiresAt}. */
    public record Reservation(String studyId, String team, int requestedExperiments, Instant reservedAt,
                              Instant expiresAt) {

        public boolean liveAt(Instant now) {
            return expiresAt.isAfter(now);
        }
    }

    /**
     * What the store holds for the team as the admission is decided. {@code maxConcurrentStudies} and
     * {@code maxExperimentsPerDay} are the team's own quotas, null when its admin never set them; {@code activeStudies}
     * its created, running and paused studies; {@code heldPlaces} live reservations of its other studies not created
     * yet; {@code experimentsToday} experiments started since 00:00 UTC; {@code existing} this study's reservation, if
     * any (live or lapsed); {@code createdBy} the team whose study already has this id, null when none does.
     */
    public record Usage(Integer maxConcurrentStudies, Integer maxExperimentsPerDay, int activeStudies, int heldPlaces,
                        int experimentsToday, Reservation existing, String createdBy) {
    }

    /** The answer, and the reservation to store (null: nothing to store). */
    public record Decision(Views.AdmissionView answer, Reservation hold) {
    }

    private Admission() {
    }

    /**
     * @param now when the admission is decided; reservations keep millisecond precision, like their column's
     *            answers, so asking again compares equal
     * @param ttl how long an admitted study's place is held without its StudyCreated
     */
    public static Decision decide(Query.AdmitStudy q, Usage usage, Instant now, Duration ttl) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        if (usage.createdBy() != null) {
            return usage.createdBy().equals(q.team())
                    // Created already: the study holds its place as an active study; a retried StudyCreated is a no-op.
                    ? new Decision(new Views.AdmissionView(true, null, null, null,
                            "study " + q.studyId() + " is created already", null), null)
                    : taken(q);
        }
        Reservation existing = usage.existing();
        if (existing != null && existing.liveAt(at)) {
            return existing.team().equals(q.team())
                    ? new Decision(admitted(existing), null)
                    : taken(q);
        }
        QuotaPolicy.Limits limits = new QuotaPolicy.Limits(
                usage.maxConcurrentStudies() == null ? q.defaultMaxConcurrentStudies() : usage.maxConcurrentStudies(),
                usage.maxExperimentsPerDay() == null ? q.defaultMaxExperimentsPerDay() : usage.maxExperimentsPerDay());
        QuotaPolicy.Refusal refusal = QuotaPolicy.admit(limits, usage.activeStudies() + usage.heldPlaces(),
                usage.experimentsToday(), q.requestedExperiments(), at);
        if (refusal != null) {
            return new Decision(new Views.AdmissionView(false, null, refusal.status(), refusal.title(),
                    refusal.detail(), refusal.retryAfter() == null ? null : seconds(refusal.retryAfter())), null);
        }
        Reservation hold = new Reservation(q.studyId(), q.team(), q.requestedExperiments(), at,
                at.plus(ttl).truncatedTo(ChronoUnit.MILLIS));
        return new Decision(admitted(hold), hold);
    }

    private static Views.AdmissionView admitted(Reservation held) {
        return new Views.AdmissionView(true, held.expiresAt(), null, null, null, null);
    }

    /** Study ids are random UUIDs: another team's study under the same id is a broken or hostile request. */
    private static Decision taken(Query.AdmitStudy q) {
        return new Decision(new Views.AdmissionView(false, null, 403, "Study id in use",
                "another team's study has the id " + q.studyId(), null), null);
    }

    /** Whole seconds, rounded up: retrying a little late is harmless, a little early is refused again. */
    private static long seconds(Duration wait) {
        long seconds = wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }
}
