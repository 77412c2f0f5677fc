package dev.seedloop.gateway.domain;

import java.util.List;
import java.util.Map;

/**
 * A study spec as a client sent it, after it passed the JSON Schema ({@code schema/study-spec.schema.json}):
 * types are right, but cross-field rules (bounds, budget, paths) are checked by {@link StudySpecValidator}.
 */
public record StudySpecDraft(String name, ObjectiveDraft objective, String workspace,
        List<ParameterDraft> searchSpace, ExperimentDraft experiment, ValidationDraft validation,
        List<String> protectedPaths, BudgetDraft budget, String strategy, Map<String, String> strategyOptions,
        Long seed, String promotion) {

    /** What is measured and which way is better. */
    public record ObjectiveDraft(String metric, String direction, Double target) {
    }

    /** One tunable parameter: float/int with bounds (optionally log scale) or categorical choices. */
    public record ParameterDraft(String name, String kind, Double low, Double high, Boolean logScale,
            List<String> choices) {
    }

    /** How each experiment runs. */
    public record ExperimentDraft(List<String> command, List<String> buildCommand, Map<String, String> env,
            Long timeoutSeconds, Integer repeats, LimitsDraft limits) {
    }

    /** Resource limits of one run. */
    public record LimitsDraft(Long cpuSeconds, Long memoryMiB, Integer maxProcesses, Long maxOutputBytes) {
    }

    /**
     * What a candidate must pass besides its metric; {@code heldOutData} is the tree hash of data mounted for the
     * held-out command only.
     */
    public record ValidationDraft(List<String> command, HeldOutDraft heldOut, String heldOutData) {
    }

    /** A metric measured by a separate command on data the proposer never sees. */
    public record HeldOutDraft(List<String> command, String metric, Double tolerance) {
    }

    /** How much the study may spend; {@code model} caps its language-model calls (llm studies only). */
    public record BudgetDraft(Integer maxExperiments, Long maxWallSeconds, Integer parallelism,
            ModelBudgetDraft model) {
    }

    /** Caps on a study's language-model calls: how many, how many tokens (prompt and answer), what cost. */
    public record ModelBudgetDraft(Long maxCalls, Long maxTokens, Double maxCostUsd) {
    }
}
