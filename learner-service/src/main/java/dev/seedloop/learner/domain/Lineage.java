package dev.seedloop.learner.domain;

import java.util.List;
import java.util.UUID;

import dev.seedloop.events.StudyOrigin;
import dev.seedloop.events.Verdict;

/**
 * Where a proposal came from: the operator that made it and the proposals it was derived from; and,
 * once evaluated, its latest verdict and value ({@code value} is null while unevaluated or when invalid).
 * {@code inheritedFrom} is the source study of a fork's inherited proposal (verdict and value are the
 * source's), null for the study's own.
 */
public record Lineage(UUID proposalId, int ordinal, String operator, List<UUID> parents,
                      java.util.Map<String, Object> parameters, Verdict verdict, Double value, String inheritedFrom) {

    public Lineage {
        parents = List.copyOf(parents);
        // One per proposal for the study's whole life: kept compact (see ParameterMap), names shared.
        operator = operator == null ? null : operator.intern();
        parameters = ParameterMap.copyOf(parameters);
    }

    /** A proposal of the study itself, not evaluated yet. */
    public Lineage(UUID proposalId, int ordinal, String operator, List<UUID> parents,
                   java.util.Map<String, Object> parameters) {
        this(proposalId, ordinal, operator, parents, parameters, null, null, null);
    }

    /** A proposal a fork inherits, as its source evaluated it. */
    static Lineage inherited(StudyOrigin.Proposal p, String source) {
        return new Lineage(p.proposalId(), p.ordinal(), p.operator(), p.parents(), p.parameters(), p.verdict(),
                p.value(), source);
    }

    Lineage evaluated(Verdict judged, Double observed) {
        return new Lineage(proposalId, ordinal, operator, parents, parameters, judged, observed, inheritedFrom);
    }
}
