package dev.seedloop.events;

import java.util.List;
import java.util.UUID;

/** A proposal was discarded before any experiment ran, with the constraint violations that caused it. */
public record ProposalRejected(UUID proposalId, String reason, List<String> violations) implements EventPayload {

    public ProposalRejected {
        Checks.notNull(proposalId, "proposalId");
        Checks.notBlank(reason, "reason");
        violations = Checks.list(violations, "violations");
    }
}
