package dev.seedloop.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why an experiment produced no usable result. JSON: {@code "timeout"}, {@code "crashed"},
 * {@code "bad-metrics"}, {@code "build-failed"}, {@code "sandbox-refused"}, {@code "halted"} (since
 * ExperimentFailed v2: stopped because its study was halted, not a fault of the experiment), {@code "patch-refused"}
 * (since ExperimentFailed v3: the proposal's patches could not make a tree: a diff that does not apply, a protected
 * path touched, a parent tree the study's team does not own; nothing ran).
 */
public enum FailureReason {
    @JsonProperty("timeout") TIMEOUT,
    @JsonProperty("crashed") CRASHED,
    @JsonProperty("bad-metrics") BAD_METRICS,
    @JsonProperty("build-failed") BUILD_FAILED,
    @JsonProperty("sandbox-refused") SANDBOX_REFUSED,
    @JsonProperty("halted") HALTED,
    @JsonProperty("patch-refused") PATCH_REFUSED
}
