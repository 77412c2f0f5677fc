package dev.seedloop.implementer.domain;

import java.util.List;
import java.util.Objects;

import dev.seedloop.events.FailureReason;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;

/**
 * The verdict on an experiment's runs, shaped like the ExperimentCompleted / ExperimentFailed
 * events. {@code logTail} is at most {@link Tails#LOG_TAIL_BYTES} bytes, a failure's detail at most
 * {@link Tails#DETAIL_BYTES}.
 */
public sealed interface Outcome {

    ResourceUsage usage();

    String logTail();

    /** Every repeat ran and produced valid metrics. Invariant: at least one repeat. */
    record Completed(List<RepeatResult> repeats, ResourceUsage usage, String logTail) implements Outcome {
        public Completed {
            repeats = List.copyOf(repeats);
            if (repeats.isEmpty()) {
                throw new IllegalArgumentException("repeats must not be empty");
            }
            Objects.requireNonNull(usage, "usage");
            logTail = Tails.lastBytes(logTail, Tails.LOG_TAIL_BYTES);
        }
    }

    /** The build or some repeat failed; {@code detail} (at most {@link Tails#DETAIL_BYTES}) says which and why. */
    record Failed(FailureReason reason, String detail, ResourceUsage usage, String logTail) implements Outcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            detail = Tails.firstBytes(Objects.requireNonNull(detail, "detail"), Tails.DETAIL_BYTES);
            Objects.requireNonNull(usage, "usage");
            logTail = Tails.lastBytes(logTail, Tails.LOG_TAIL_BYTES);
        }
    }
}
