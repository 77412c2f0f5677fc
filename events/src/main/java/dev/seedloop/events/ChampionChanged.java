package dev.seedloop.events;

import java.util.UUID;

/**
 * A proposal became the study's best; {@code previousProposalId} is null for the first champion.
 * {@code value} is the objective metric's mean that won. Invariant: value finite, differs from previous.
 */
public record ChampionChanged(UUID proposalId, @Nullable UUID previousProposalId, UUID evaluationId,
                              double value) implements EventPayload {

    public ChampionChanged {
        Checks.notNull(proposalId, "proposalId");
        Checks.notNull(evaluationId, "evaluationId");
        if (proposalId.equals(previousProposalId)) {
            throw new IllegalArgumentException("previousProposalId must differ from proposalId");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite but was " + value);
        }
    }
}
