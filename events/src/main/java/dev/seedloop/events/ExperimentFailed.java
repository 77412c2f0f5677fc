package dev.seedloop.events;

import java.util.UUID;

/**
 * An experiment produced no usable metrics. Use {@link ResourceUsage#NONE} when nothing ran.
 * The evaluator turns this into an {@link Verdict#INVALID} evaluation.
 *
 * <p>v2 (this shape) added the reason {@link FailureReason#HALTED}; v1 reported a halt as {@code crashed} with a
 * detail starting {@code "halted:"}, which {@code ExperimentFailedV1Upcaster} reads as {@code halted}. v3 added
 * the reason {@link FailureReason#PATCH_REFUSED}.
 */
public record ExperimentFailed(UUID experimentId, UUID proposalId, FailureReason reason, String detail,
                               ResourceUsage usage, String logTail) implements EventPayload {

    public ExperimentFailed {
        Checks.notNull(experimentId, "experimentId");
        Checks.notNull(proposalId, "proposalId");
        Checks.notNull(reason, "reason");
        Checks.notNull(detail, "detail");
        Checks.notNull(usage, "usage");
        Checks.notNull(logTail, "logTail");
    }
}
