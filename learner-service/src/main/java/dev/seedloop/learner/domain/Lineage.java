package dev.seedloop.learner.domain;

import java.util.List;
import java.util.UUID;

/** Where a proposal came from: the operator that made it and the proposals it was derived from. */
public record Lineage(UUID proposalId, int ordinal, String operator, List<UUID> parents) {

    public Lineage {
        parents = List.copyOf(parents);
    }
}
