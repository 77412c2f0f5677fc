package dev.seedloop.events;

import java.util.UUID;

/**
 * Under {@link PromotionPolicy#MANUAL}, a candidate beat the champion on the evaluator's evidence
 * (the evaluation {@code evaluationId}) and now waits for an approver. {@code currentChampionId} is the
 * champion it was compared with (null when there was none); {@code value} the candidate's metric mean.
 */
public record PromotionRequested(UUID proposalId, UUID evaluationId, double value, @Nullable UUID currentChampionId)
        implements EventPayload {

    public PromotionRequested {
        Checks.notNull(proposalId, "proposalId");
        Checks.notNull(evaluationId, "evaluationId");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite but was " + value);
        }
    }
}
