package dev.seedloop.events;

import java.util.UUID;

/**
 * The evaluator's judgement of one experiment against the current champion. {@code pValue} is
 * present when a significance test was run; {@code evaluatorSha256} identifies the evaluator
 * code/config that judged it.
 *
 * <p>Invariant: a summary is required unless the verdict is {@link Verdict#INVALID}; a
 * {@link Verdict#NEW_CHAMPION} or {@link Verdict#HELD_OUT_DEGRADED} verdict requires {@code validationPassed},
 * and a held-out degradation names the held-out value it was judged on.
 *
 * <p>v2 (this shape) added the verdict {@link Verdict#HELD_OUT_DEGRADED}; v1 events that recorded a held-out
 * degradation as {@code invalid} are read as {@code held-out-degraded} ({@code EvaluationCompletedV1Upcaster}).
 */
public record EvaluationCompleted(UUID evaluationId, UUID experimentId, UUID proposalId, Verdict verdict,
                                  String reason, @Nullable MetricSummary summary, @Nullable Double pValue,
                                  boolean validationPassed, String evaluatorSha256, @Nullable Double heldOutValue)
        implements EventPayload {

    /** An evaluation of a study without a held-out metric. */
    public EvaluationCompleted(UUID evaluationId, UUID experimentId, UUID proposalId, Verdict verdict, String reason,
                               MetricSummary summary, Double pValue, boolean validationPassed, String evaluatorSha256) {
        this(evaluationId, experimentId, proposalId, verdict, reason, summary, pValue, validationPassed,
                evaluatorSha256, null);
    }

    public EvaluationCompleted {
        Checks.notNull(evaluationId, "evaluationId");
        Checks.notNull(experimentId, "experimentId");
        Checks.notNull(proposalId, "proposalId");
        Checks.notNull(verdict, "verdict");
        Checks.notNull(reason, "reason");
        if (summary == null && verdict != Verdict.INVALID) {
            throw new IllegalArgumentException("summary is required for verdict " + verdict);
        }
        if (verdict == Verdict.NEW_CHAMPION && !validationPassed) {
            throw new IllegalArgumentException("a new champion must have passed validation");
        }
        if (verdict == Verdict.HELD_OUT_DEGRADED && !validationPassed) {
            throw new IllegalArgumentException("a held-out degradation is judged only after validation passed");
        }
        if (pValue != null && !(pValue >= 0.0 && pValue <= 1.0)) {
            throw new IllegalArgumentException("pValue must be within [0, 1] but was " + pValue);
        }
        Checks.notBlank(evaluatorSha256, "evaluatorSha256");
    }
}
