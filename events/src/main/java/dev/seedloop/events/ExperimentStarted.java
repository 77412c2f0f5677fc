package dev.seedloop.events;

import java.util.UUID;

/**
 * The implementer began running a proposal. {@code workspaceSha256} identifies the exact
 * materialised workspace so results can be reproduced. Invariant: repeats >= 1.
 */
public record ExperimentStarted(UUID experimentId, UUID proposalId, String executor, String workspaceSha256,
                                int repeats) implements EventPayload {

    public ExperimentStarted {
        Checks.notNull(experimentId, "experimentId");
        Checks.notNull(proposalId, "proposalId");
        Checks.notBlank(executor, "executor");
        Checks.notBlank(workspaceSha256, "workspaceSha256");
        Checks.atLeast(repeats, 1, "repeats");
    }
}
