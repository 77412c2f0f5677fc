package dev.seedloop.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Outcome of evaluating one experiment. JSON: {@code "new-champion"}, {@code "not-better"}, {@code "invalid"}. */
public enum Verdict {
    @JsonProperty("new-champion") NEW_CHAMPION,
    @JsonProperty("not-better") NOT_BETTER,
    @JsonProperty("invalid") INVALID
}
