package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A candidate the evaluator asked an approver to promote (PromotionRequested) that nobody has approved or
 * rejected yet and that has not become champion. {@code comparedWith} is the champion it beat, null if none.
 */
public record PendingApproval(UUID proposalId, UUID evaluationId, double value, Instant requestedAt,
                              UUID comparedWith) {
}
