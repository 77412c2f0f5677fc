package dev.seedloop.events;

/**
 * What a study may spend on language-model calls (StudyCreated v5): calls, tokens (prompt and answer together) and
 * cost in US dollars from the operator's price table. Any limit may be absent (no cap of that kind); a study whose spend
 * reaches a cap ends with the reason naming it. Replayed calls (answers recorded earlier, no model asked) cost nothing.
 *
 * <p>Invariant: at least one limit; calls and tokens at least 1, cost positive and finite.
 */
public record ModelBudget(@Nullable Long maxCalls, @Nullable Long maxTokens, @Nullable Double maxCostUsd) {

    public ModelBudget {
        if (maxCalls == null && maxTokens == null && maxCostUsd == null) {
            throw new IllegalArgumentException("a model budget names at least one of maxCalls, maxTokens, maxCostUsd");
        }
        if (maxCalls != null) {
            Checks.atLeast(maxCalls, 1L, "maxCalls");
        }
        if (maxTokens != null) {
            Checks.atLeast(maxTokens, 1L, "maxTokens");
        }
        if (maxCostUsd != null && !(Double.isFinite(maxCostUsd) && maxCostUsd > 0)) {
            throw new IllegalArgumentException("maxCostUsd must be a positive finite number but was " + maxCostUsd);
        }
    }
}
