package dev.seedloop.proposer.domain;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One evaluated proposal as a strategy sees it.
 *
 * @param proposalId the proposal that produced the point; becomes a candidate's parent
 * @param parameters the point that was run
 * @param value      the objective value, or {@code null} when the run failed or was invalid
 * @param operator   the move that produced the point (e.g. {@code "mutate"}); the evolutionary
 *                   strategy adapts its step size from how its own mutations fared
 */
public record Observation(UUID proposalId, Map<String, Object> parameters, Double value, String operator) {

    public Observation {
        Objects.requireNonNull(proposalId, "proposalId");
        Objects.requireNonNull(parameters, "parameters");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        operator = operator == null ? "" : operator;
    }

    /** True when the run produced a usable, finite objective value. */
    public boolean isValid() {
        return value != null && Double.isFinite(value);
    }
}
