package dev.seedloop.events;

import java.util.List;
import java.util.UUID;

/**
 * An experiment ran all its repeats and produced metrics; judging them is the evaluator's job.
 * {@code logTail} is the last part of the combined output, possibly empty. Invariant: at least one repeat.
 *
 * <p>v2 added {@code tree}: the code these results belong to (the proposal's parent plus its patches, as stored in
 * the artifact store), so a champion's code can be read back and checked out; null without an uploaded workspace
 * and before v2.
 */
public record ExperimentCompleted(UUID experimentId, UUID proposalId, List<RepeatResult> repeats,
                                  ResourceUsage usage, String logTail, @Nullable ValidationResult validation,
                                  @Nullable Double heldOutValue, @Nullable String tree) implements EventPayload {

    /** Results of an experiment without a tree (a study without an uploaded workspace). */
    public ExperimentCompleted(UUID experimentId, UUID proposalId, List<RepeatResult> repeats, ResourceUsage usage,
                               String logTail, ValidationResult validation, Double heldOutValue) {
        this(experimentId, proposalId, repeats, usage, logTail, validation, heldOutValue, null);
    }

    /** An experiment whose study asks for no validation and no held-out metric. */
    public ExperimentCompleted(UUID experimentId, UUID proposalId, List<RepeatResult> repeats, ResourceUsage usage,
                               String logTail) {
        this(experimentId, proposalId, repeats, usage, logTail, null, null, null);
    }

    public ExperimentCompleted {
        Checks.notNull(experimentId, "experimentId");
        Checks.notNull(proposalId, "proposalId");
        repeats = Checks.list(repeats, "repeats");
        if (repeats.isEmpty()) {
            throw new IllegalArgumentException("repeats must not be empty");
        }
        Checks.notNull(usage, "usage");
        Checks.notNull(logTail, "logTail");
        if (heldOutValue != null && !Double.isFinite(heldOutValue)) {
            throw new IllegalArgumentException("heldOutValue must be finite but was " + heldOutValue);
        }
        if (tree != null) {
            Checks.contentHash(tree, "tree");
        }
    }
}
