package dev.seedloop.learner.domain;

import dev.seedloop.events.EvaluationCompleted;

/**
 * What the evaluator measured when it judged a candidate better than the champion: its reason, the
 * metric summary (mean, confidence interval, repeats), the significance test and the validation results.
 * Statistics are null when the evaluation carried none.
 */
public record Evidence(String reason, Double mean, Double ciLow, Double ciHigh, Integer repeats, Double pValue,
                       boolean validationPassed, Double heldOutValue) {

    public static Evidence of(EvaluationCompleted e) {
        var s = e.summary();
        return new Evidence(e.reason(), s == null ? null : s.mean(), s == null ? null : s.ciLow(),
                s == null ? null : s.ciHigh(), s == null ? null : s.n(), e.pValue(), e.validationPassed(),
                e.heldOutValue());
    }
}
