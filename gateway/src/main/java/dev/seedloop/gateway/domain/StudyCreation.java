package dev.seedloop.gateway.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyNames;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.WorkspaceRef;

/**
 * Decides the event that creates a study. Pure: the time, the ids, the spec's hash and the workspace's
 * hash come in, so the same inputs always give the same event.
 */
public final class StudyCreation {

    private StudyCreation() {
    }

    /**
     * @param workspace the workspace as checked against the store (a tree the team owns) or, for an operator's
     *                  legacy root, a server path with its content hash; null when the spec names none
     * @throws SpecViolations listing every problem of the draft; then no event exists at all
     */
    public static EventEnvelope decide(StudySpecDraft draft, String team, String createdBy, Instant now, UUID eventId,
            String specSha256, WorkspaceRef workspace, long defaultSeed) {
        List<SpecViolations.Violation> problems = StudySpecValidator.validate(draft);
        if (!problems.isEmpty()) {
            throw new SpecViolations(problems);
        }
        StudyCreated created = new StudyCreated(draft.name(), StudySpecValidator.objective(draft),
                StudySpecValidator.searchSpace(draft), StudySpecValidator.budget(draft),
                draft.strategy() == null ? StrategyNames.DEFAULT : draft.strategy(),
                draft.seed() == null ? defaultSeed : draft.seed(), specSha256, workspace,
                StudySpecValidator.experiment(draft), StudySpecValidator.validation(draft),
                draft.protectedPaths() == null ? List.of() : draft.protectedPaths(),
                draft.strategyOptions() == null ? Map.of() : draft.strategyOptions(),
                "manual".equals(draft.promotion()) ? PromotionPolicy.MANUAL : PromotionPolicy.AUTO, createdBy, null);
        // The first event of a study gives the study its id and starts its correlation chain.
        return EventEnvelope.firstOfChain(eventId, eventId.toString(), team, now, Services.GATEWAY, created);
    }
}
