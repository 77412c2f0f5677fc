package dev.seedloop.learner.domain;

import java.util.List;
import java.util.UUID;

/** Where a proposal came from: the operator that made it and the proposals it was derived from. */
public record Lineage(UUID proposalId, int ordinal, String operator, List<UUID> parents,
                      java.util.Map<String, Object> parameters) {

    public Lineage {
        parents = List.copyOf(parents);
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
}
