package dev.seedloop.implementer.domain;

import java.util.List;
import java.util.Objects;

import dev.seedloop.events.FailureReason;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.ValidationResult;

/**
 * The verdict on an experiment's runs, shaped like the ExperimentCompleted / ExperimentFailed
 * events. {@code logTail} is at most {@link Tails#LOG_TAIL_BYTES} bytes, a failure's detail at most
 * {@link Tails#DETAIL_BYTES}.
 */
public sealed interface Outcome {

    ResourceUsage usage();

    String logTail();

    /**
     * Every repeat ran and produced valid metrics. {@code validation} is the study's validation (null when the
     * study has none), {@code heldOut} the held-out metric (null when there is none: no held-out command, or the
     * validation failed). {@code usage} and {@code logTail} are those of the build and the repeats. Invariant: at
     * least one repeat; a held-out metric only with a passed validation.
     */
    record Completed(List<RepeatResult> repeats, ResourceUsage usage, String logTail, ValidationResult validation,
                     Double heldOut) implements Outcome {
        public Completed {
            repeats = List.copyOf(repeats);
            if (repeats.isEmpty()) {
                throw new IllegalArgumentException("repeats must not be empty");
            }
            Objects.requireNonNull(usage, "usage");
            logTail = Tails.lastBytes(logTail, Tails.LOG_TAIL_BYTES);
            if (heldOut != null && (validation == null || !validation.passed())) {
                throw new IllegalArgumentException("a held-out metric needs a passed validation");
            }
        }

        /** Repeats that are not (yet) evaluated: no validation, no held-out metric. */
        public Completed(List<RepeatResult> repeats, ResourceUsage usage, String logTail) {
            this(repeats, usage, logTail, null, null);
        }

        /** The same repeats with the verdict of the study's validation. */
        public Completed validated(ValidationVerdict verdict) {
            return new Completed(repeats, usage, logTail, verdict.validation(), verdict.heldOut());
        }
    }

    /**
     * The verdict of the study's validation and held-out commands on a completed experiment: the validation's
     * result, and the held-out metric when the held-out command reported it (null otherwise).
     */
    record ValidationVerdict(ValidationResult validation, Double heldOut) {
        public ValidationVerdict {
            Objects.requireNonNull(validation, "validation");
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
