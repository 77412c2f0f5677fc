package dev.seedloop.learner.domain;

import java.util.List;
import java.util.UUID;

import dev.seedloop.events.Verdict;

/**
 * Where a proposal came from: the operator that made it and the proposals it was derived from; and,
 * once evaluated, its latest verdict and value ({@code value} is null while unevaluated or when invalid).
 */
public record Lineage(UUID proposalId, int ordinal, String operator, List<UUID> parents,
                      java.util.Map<String, Object> parameters, Verdict verdict, Double value) {

    public Lineage {
        parents = List.copyOf(parents);
        // One per proposal for the study's whole life: kept compact (see ParameterMap), names shared.
        operator = operator == null ? null : operator.intern();
        parameters = ParameterMap.copyOf(parameters);
    }

    /** A proposal not evaluated yet. */
    public Lineage(UUID proposalId, int ordinal, String operator, List<UUID> parents,
                   java.util.Map<String, Object> parameters) {
        this(proposalId, ordinal, operator, parents, parameters, null, null);
    }

    Lineage evaluated(Verdict judged, Double observed) {
        return new Lineage(proposalId, ordinal, operator, parents, parameters, judged, observed);
    }
}
