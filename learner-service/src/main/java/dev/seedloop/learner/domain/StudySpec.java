package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.UUID;

import dev.seedloop.events.Budget;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Objective;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.StudyCreated;

/**
 * What a study is: named by its first event, fixed by its first StudyCreated (a second one would be a gateway
 * bug and changes nothing). Every field but {@code studyId} is null (or 0) before StudyCreated; {@code promotion} is
 * then treated as AUTO. {@code origin} is set for a fork.
 */
public record StudySpec(String studyId, UUID createdEventId, Objective objective, Budget budget, String strategy,
                        long seed, Instant startedAt, String team, String name, String createdBy,
                        PromotionPolicy promotion, ForkOrigin origin) {

    public static final StudySpec EMPTY = new StudySpec(null, null, null, null, null, 0L, null, null, null, null,
            null, null);

    /** Whether StudyCreated was seen. */
    public boolean created() {
        return createdEventId != null;
    }

    /** The spec after {@code event} (one the study has not seen); the same instance when it changes nothing. */
    static StudySpec evolve(StudySpec s, EventEnvelope event) {
        StudySpec named = s.studyId == null ? s.withStudyId(event.studyId()) : s;
        if (event.payload() instanceof StudyCreated c && !s.created()) {
            return new StudySpec(named.studyId, event.eventId(), c.objective(), c.budget(), c.strategy(), c.seed(),
                    event.occurredAt(), event.team(), c.name(), c.createdBy(), c.promotion(),
                    c.origin() == null ? null : ForkOrigin.of(c.origin()));
        }
        return named;
    }

    private StudySpec withStudyId(String id) {
        return new StudySpec(id, createdEventId, objective, budget, strategy, seed, startedAt, team, name, createdBy,
                promotion, origin);
    }
}
