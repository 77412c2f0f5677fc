package dev.seedloop.events;

import java.util.UUID;

/**
 * The learner declared a study finished (budget spent, target reached, ...). Terminal.
 * Invariant: champion and best value are both present or both absent (no valid result yet).
 */
public record StudyCompleted(String reason, @Nullable UUID championProposalId, @Nullable Double bestValue,
                             int experimentsRun) implements EventPayload {

    public StudyCompleted {
        Checks.notBlank(reason, "reason");
        if ((championProposalId == null) != (bestValue == null)) {
            throw new IllegalArgumentException("championProposalId and bestValue must both be set or both be null");
        }
        Checks.atLeast(experimentsRun, 0, "experimentsRun");
    }
}
