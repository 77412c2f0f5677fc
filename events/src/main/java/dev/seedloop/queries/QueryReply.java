package dev.seedloop.queries;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The learner's answer. {@code body} is the view named by the query when the outcome is {@code ok};
 * {@code detail} says why otherwise, in words fit for an API error.
 */
public record QueryReply(Outcome outcome, String detail, JsonNode body) {

    public enum Outcome {
        @JsonProperty("ok") OK,
        /** No such study, or a study of another team: the two are indistinguishable on purpose. */
        @JsonProperty("not-found") NOT_FOUND,
        /** The query itself is malformed (bad paging, unknown status filter...). */
        @JsonProperty("invalid") INVALID,
        /** The learner could not answer (e.g. its store is unavailable). */
        @JsonProperty("failed") FAILED
    }
}
