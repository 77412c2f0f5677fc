package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A past or present champion, in the order they were crowned. {@code previousProposalId} is the champion
 * it replaced (null for the first), {@code at} when it was crowned, {@code evidence} the evaluation that
 * promoted it (null if that evaluation was never seen), {@code causationId} the cause of its
 * ChampionChanged (null when crowned on the evaluation itself) and {@code approvedBy} the approver whose
 * PromotionApproved that cause was (null when the evaluator promoted it on its own).
 */
public record ChampionEntry(UUID proposalId, UUID evaluationId, double value, long sequence, UUID previousProposalId,
                            Instant at, Evidence evidence, UUID causationId, String approvedBy) {

    ChampionEntry withEvidence(Evidence found) {
        return new ChampionEntry(proposalId, evaluationId, value, sequence, previousProposalId, at, found, causationId,
                approvedBy);
    }

    ChampionEntry approvedBy(String approver) {
        return new ChampionEntry(proposalId, evaluationId, value, sequence, previousProposalId, at, evidence,
                causationId, approver);
    }
}
