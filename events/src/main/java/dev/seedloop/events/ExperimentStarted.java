package dev.seedloop.events;

import java.util.UUID;

/**
 * The implementer began running a proposal. {@code workspaceSha256} identifies the exact
 * materialised workspace so results can be reproduced. Invariant: repeats >= 1.
 *
 * <p>v2 added the code's lineage: {@code parentTree} (the proposal's parent) and {@code tree} (parent plus the
 * proposal's patches, stored in the artifact store before the experiment runs); both null for a study without an
 * uploaded workspace and before v2.
 */
public record ExperimentStarted(UUID experimentId, UUID proposalId, String executor, String workspaceSha256,
                                int repeats, @Nullable String parentTree, @Nullable String tree)
        implements EventPayload {

    /** An experiment without a tree (a study without an uploaded workspace). */
    public ExperimentStarted(UUID experimentId, UUID proposalId, String executor, String workspaceSha256,
                             int repeats) {
        this(experimentId, proposalId, executor, workspaceSha256, repeats, null, null);
    }

    public ExperimentStarted {
        Checks.notNull(experimentId, "experimentId");
        Checks.notNull(proposalId, "proposalId");
        Checks.notBlank(executor, "executor");
        Checks.notBlank(workspaceSha256, "workspaceSha256");
        Checks.atLeast(repeats, 1, "repeats");
        if (parentTree != null) {
            Checks.contentHash(parentTree, "parentTree");
        }
        if (tree != null) {
            Checks.contentHash(tree, "tree");
        }
    }
}
