package dev.seedloop.events;

import java.util.UUID;

/**
 * An approver of the study's team accepted a pending candidate ({@link PromotionRequested}); the evaluator
 * answers with {@link ChampionChanged} caused by this event. {@code by} is the approver's user name.
 */
public record PromotionApproved(UUID proposalId, String by, String reason) implements EventPayload {

    public PromotionApproved {
        Checks.notNull(proposalId, "proposalId");
        Checks.notBlank(by, "by");
        Checks.notNull(reason, "reason");
    }
}
