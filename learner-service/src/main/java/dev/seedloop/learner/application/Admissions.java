package dev.seedloop.learner.application;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.seedloop.learner.config.LearnerConfig;
import dev.seedloop.learner.domain.Admission;
import dev.seedloop.learner.domain.QuotaPolicy;
import dev.seedloop.learner.domain.StudyStatus;
import dev.seedloop.learner.domain.WireNames;
import dev.seedloop.learner.store.persistence.Reservations;
import dev.seedloop.queries.Query;
import dev.seedloop.queries.Views;
import io.smallrye.mutiny.Uni;

/**
 * Admits studies (ADR 0015): in one transaction, under the team's admission lock, reads what the team uses and holds,
 * decides ({@link Admission}) and holds a place for an admitted study. Learners answering admissions side by side
 * (several query consumers, several instances) share the lock through PostgreSQL, so a team's quota holds however
 * many creations race.
 */
@ApplicationScoped
public class Admissions {

    private static final List<String> ACTIVE = StudyStatus.ACTIVE.stream().map(WireNames::of).toList();

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Reservations reservations;

    @Inject
    LearnerConfig config;

    @Inject
    Clock clock;

    public Uni<Views.AdmissionView> admit(Query.AdmitStudy q) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return sessions.withTransaction(session -> reservations.lockTeam(session, q.team())
                .chain(() -> reservations.dropLapsed(session, q.team(), now))
                .chain(() -> reservations.usage(session, q.team(), q.studyId(), ACTIVE, QuotaPolicy.dayStart(now), now))
                .map(usage -> Admission.decide(q, usage, now, config.admission().reservationTtl()))
                .call(decision -> decision.hold() == null ? Uni.createFrom().voidItem()
                        : reservations.hold(session, decision.hold()))
                .map(Admission.Decision::answer));
    }
}
