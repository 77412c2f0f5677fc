package dev.seedloop.learner.store.persistence;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import dev.seedloop.events.EventTypes;
import dev.seedloop.learner.domain.Admission;
import io.smallrye.mutiny.Uni;

/**
 * The places held for admitted studies ({@code admission_reservation}, V5) and what an admission reads, in the
 * caller's transaction. Admissions of one team are serialised by a transaction-scoped advisory lock on the team, so
 * a count and the reservation that follows it cannot interleave with another admission of the team; the recording
 * transaction that stores a study's StudyCreated removes its reservation, so a study is counted either as a held
 * place or as an active study, never both.
 */
@ApplicationScoped
public class Reservations {

    /**
     * The first key of the two-key advisory locks on teams; the second is the team's hash. Two-key locks never
     * conflict with the one-key append lock. Teams whose names hash alike share a lock, which only serialises them.
     */
    private static final int ADMISSION_LOCKS = 0x5eed_0015;

    /**
     * Everything an admission decides on, in one statement so that it is one snapshot: counted in two statements, a
     * StudyCreated committed in between could move a study from held place to active study unseen by both counts.
     */
    private static final String USAGE = """
            select q.max_concurrent_studies, q.max_experiments_per_day,
                   (select count(*) from study_summary s where s.team = :team and s.status in (:active)),
                   (select count(*) from admission_reservation r where r.team = :team and r.expires_at > :now
                        and r.study_id <> :study
                        and not exists (select 1 from study_summary s where s.study_id = r.study_id)),
                   (select count(*) from event_store e where e.team = :team and e.event_type = :started
                        and e.occurred_at >= :dayStart),
                   r.team, r.requested_experiments,
                   cast(extract(epoch from r.reserved_at) * 1000 as bigint),
                   cast(extract(epoch from r.expires_at) * 1000 as bigint),
                   (select s.team from study_summary s where s.study_id = :study)
            from (select 1) as one
            left join team_quota q on q.team = :team
            left join admission_reservation r on r.study_id = :study
            """;

    private static final String HOLD = """
            insert into admission_reservation (study_id, team, requested_experiments, reserved_at, expires_at)
            values (:study, :team, :requested, :reservedAt, :expiresAt)
            on conflict (study_id) do update set team = excluded.team,
                requested_experiments = excluded.requested_experiments, reserved_at = excluded.reserved_at,
                expires_at = excluded.expires_at
            """;

    /** Waits for, then holds until the transaction ends, the right to admit studies of {@code team}. */
    public Uni<Void> lockTeam(Mutiny.Session session, String team) {
        return session.createNativeQuery("select cast(pg_advisory_xact_lock(:space, hashtext(:team)) as text)",
                        String.class)
                .setParameter("space", ADMISSION_LOCKS)
                .setParameter("team", team)
                .getSingleResult()
                .replaceWithVoid();
    }

    /** Lapsed reservations of the team: they hold nothing any more. Under the team's lock. */
    public Uni<Void> dropLapsed(Mutiny.Session session, String team, Instant now) {
        return session.createNativeQuery("delete from admission_reservation where team = :team and expires_at <= :now")
                .setParameter("team", team)
                .setParameter("now", now)
                .executeUpdate()
                .replaceWithVoid();
    }

    /** The team's usage as an admission of {@code studyId} sees it. Under the team's lock. */
    public Uni<Admission.Usage> usage(Mutiny.Session session, String team, String studyId,
            Collection<String> activeStatuses, Instant dayStart, Instant now) {
        return session.createNativeQuery(USAGE, Object[].class)
                .setParameter("team", team)
                .setParameter("study", studyId)
                .setParameter("active", activeStatuses)
                .setParameter("now", now)
                .setParameter("started", EventTypes.EXPERIMENT_STARTED)
                .setParameter("dayStart", dayStart)
                .getSingleResult()
                .map(row -> new Admission.Usage(integer(row[0]), integer(row[1]), count(row[2]), count(row[3]),
                        count(row[4]), row[5] == null ? null : new Admission.Reservation(studyId, (String) row[5],
                                integer(row[6]), Instant.ofEpochMilli(((Number) row[7]).longValue()),
                                Instant.ofEpochMilli(((Number) row[8]).longValue())), (String) row[9]));
    }

    /** Stores (or renews) the place held for a study. Under its team's lock. */
    public Uni<Void> hold(Mutiny.Session session, Admission.Reservation reservation) {
        return session.createNativeQuery(HOLD)
                .setParameter("study", reservation.studyId())
                .setParameter("team", reservation.team())
                .setParameter("requested", reservation.requestedExperiments())
                .setParameter("reservedAt", reservation.reservedAt())
                .setParameter("expiresAt", reservation.expiresAt())
                .executeUpdate()
                .replaceWithVoid();
    }

    /** Removes the reservations of studies whose StudyCreated the caller's transaction stores: they are active now. */
    public Uni<Void> release(Mutiny.Session session, List<String> createdStudies) {
        if (createdStudies.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return session.createNativeQuery("delete from admission_reservation where study_id in (:studies)")
                .setParameter("studies", createdStudies)
                .executeUpdate()
                .replaceWithVoid();
    }

    private static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    private static int count(Object value) {
        return Math.toIntExact(((Number) value).longValue());
    }
}
