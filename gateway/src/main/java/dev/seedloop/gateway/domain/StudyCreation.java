package dev.seedloop.gateway.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCreated;

/**
 * Decides the event that creates a study. Pure: the time, the ids and the spec's hash come in, so the
 * same inputs always give the same event.
 */
public final class StudyCreation {

    public static final String DEFAULT_STRATEGY = "random";

    private StudyCreation() {
    }

    /**
     * @throws SpecViolations listing every problem of the draft; then no event exists at all
     */
    public static EventEnvelope decide(StudySpecDraft draft, String team, Instant now, UUID eventId,
            String specSha256, long defaultSeed) {
        List<SpecViolations.Violation> problems = StudySpecValidator.validate(draft);
        if (!problems.isEmpty()) {
            throw new SpecViolations(problems);
        }
        StudyCreated created = new StudyCreated(draft.name(), StudySpecValidator.objective(draft),
                StudySpecValidator.searchSpace(draft), StudySpecValidator.budget(draft),
                draft.strategy() == null ? DEFAULT_STRATEGY : draft.strategy(),
                draft.seed() == null ? defaultSeed : draft.seed(), specSha256);
        // The first event of a study gives the study its id and starts its correlation chain.
        return new EventEnvelope(eventId, eventId.toString(), team, now, null, eventId, Services.GATEWAY, created);
    }
}
