package dev.seedloop.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kind of a search-space parameter. JSON: {@code "float"}, {@code "int"}, {@code "categorical"}. */
public enum ParameterKind {
    @JsonProperty("float") FLOAT,
    @JsonProperty("int") INT,
    @JsonProperty("categorical") CATEGORICAL
}
