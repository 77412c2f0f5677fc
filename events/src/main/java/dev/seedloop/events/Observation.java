package dev.seedloop.events;

import java.util.Map;
import java.util.UUID;

/**
 * One evaluated proposal as the learner hands it to the proposer: its point, the operator that made
 * it, and the objective value (null when the experiment failed or was invalid).
 */
public record Observation(UUID proposalId, int ordinal, String operator, Map<String, Object> parameters,
                          @Nullable Double value) {

    public Observation {
        Checks.notNull(proposalId, "proposalId");
        Checks.atLeast(ordinal, 0, "ordinal");
        Checks.notBlank(operator, "operator");
        parameters = Checks.orderedMap(parameters, "parameters");
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite but was " + value);
        }
    }
}
