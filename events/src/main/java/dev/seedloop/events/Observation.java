package dev.seedloop.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One evaluated proposal as the learner hands it to the proposer: its point, the operator that made
 * it, and the objective value (null when the experiment failed or was invalid).
 *
 * <p>Since StrategyUpdated v2, what a code-changing strategy needs of it (null where unknown, and before v2):
 * {@code tree}, the code the value belongs to; {@code parents}, the proposals it was derived from; {@code output},
 * the tail of its experiment's output as the learner chose to cap it; {@code failure}, why it has no value (the
 * failure reason or the failed validation), null when it has one. Output and failure are written by the experiment,
 * so by someone who may be hostile: a strategy shows them as data, never as instructions.
 */
public record Observation(UUID proposalId, int ordinal, String operator, Map<String, Object> parameters,
                          @Nullable Double value, @Nullable String tree, List<UUID> parents, @Nullable String output,
                          @Nullable String failure) {

    /** An observation of a parameter-only point, as v1 carried it. */
    public Observation(UUID proposalId, int ordinal, String operator, Map<String, Object> parameters,
                       Double value) {
        this(proposalId, ordinal, operator, parameters, value, null, List.of(), null, null);
    }

    public Observation {
        Checks.notNull(proposalId, "proposalId");
        Checks.atLeast(ordinal, 0, "ordinal");
        Checks.notBlank(operator, "operator");
        parameters = Checks.orderedMap(parameters, "parameters");
        parents = parents == null ? List.of() : Checks.list(parents, "parents");
        if (tree != null) {
            Checks.contentHash(tree, "tree");
        }
        if (value != null && !Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite but was " + value);
        }
    }
}
