package dev.seedloop.events;

import java.util.UUID;

/** An approver declined a pending candidate; the champion stays. The reason is the reviewer's own words. */
public record PromotionRejected(UUID proposalId, String by, String reason) implements EventPayload {

    public PromotionRejected {
        Checks.notNull(proposalId, "proposalId");
        Checks.notBlank(by, "by");
        Checks.notBlank(reason, "reason");
    }
}
