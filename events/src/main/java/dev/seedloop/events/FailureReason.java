package dev.seedloop.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why an experiment produced no usable result. JSON: {@code "timeout"}, {@code "crashed"},
 * {@code "bad-metrics"}, {@code "build-failed"}, {@code "sandbox-refused"}, {@code "halted"} (since
 * ExperimentFailed v2: stopped because its study was halted, not a fault of the experiment).
 */
public enum FailureReason {
    @JsonProperty("timeout") TIMEOUT,
    @JsonProperty("crashed") CRASHED,
    @JsonProperty("bad-metrics") BAD_METRICS,
    @JsonProperty("build-failed") BUILD_FAILED,
    @JsonProperty("sandbox-refused") SANDBOX_REFUSED,
    @JsonProperty("halted") HALTED
}
