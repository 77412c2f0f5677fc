package dev.seedloop.gateway.domain;

import java.util.List;

/**
 * A study spec as a client sent it: every field may be missing or wrong, so nothing here is trusted
 * until {@link StudySpecValidator} has listed what is wrong with it.
 */
public record StudySpecDraft(String name, ObjectiveDraft objective, List<ParameterDraft> searchSpace,
        BudgetDraft budget, String strategy, Long seed) {

    /** What is measured and which way is better. */
    public record ObjectiveDraft(String metric, String direction, Double target) {
    }

    /** One tunable parameter: float/int with bounds (optionally log scale) or categorical choices. */
    public record ParameterDraft(String name, String kind, Double low, Double high, Boolean logScale,
            List<String> choices) {
    }

    /** How much the study may spend. */
    public record BudgetDraft(Integer maxExperiments, Long maxWallSeconds, Integer parallelism) {
    }
}
