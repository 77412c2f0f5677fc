package dev.seedloop.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Outcome of evaluating one experiment. JSON: {@code "new-champion"}, {@code "not-better"}, {@code "invalid"}
 * (no usable result: the experiment failed, validation failed or the objective metric is missing) and, since
 * EvaluationCompleted v2, {@code "held-out-degraded"} (validation passed and the objective improved, but the
 * held-out metric got worse beyond tolerance: overfitting or reward hacking; v1 recorded these as invalid).
 */
public enum Verdict {
    @JsonProperty("new-champion") NEW_CHAMPION,
    @JsonProperty("not-better") NOT_BETTER,
    @JsonProperty("invalid") INVALID,
    @JsonProperty("held-out-degraded") HELD_OUT_DEGRADED;

    /**
     * True when the candidate is out of the running: its value must not guide the search nor count as a result
     * (an invalid run, or one whose improvement the held-out metric contradicts).
     */
    public boolean disqualifies() {
        return this == INVALID || this == HELD_OUT_DEGRADED;
    }
}
