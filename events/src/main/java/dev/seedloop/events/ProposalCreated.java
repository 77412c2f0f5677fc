package dev.seedloop.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The proposer suggested a point in the search space. {@code ordinal} counts proposals within a
 * study from 0; {@code operator} names the strategy move (e.g. {@code "mutate"}); {@code parents}
 * are the proposals it was derived from (empty for fresh samples); {@code patches} are files the
 * experiment's workspace copy gets on top of its parent tree (empty for parameter-only moves).
 *
 * <p>v2 added {@code parentTree}: the tree the patches apply to (the study's workspace tree, or the tree a parent
 * proposal's experiment ran on), so every proposal's code has a lineage; null for a study without an uploaded
 * workspace and for every proposal before v2 (whose parent was the study's workspace). Patches may be diffs since v2.
 *
 * <p>Invariant: parameter values are JSON scalars only — String, Integer, Long, Double or
 * Boolean — and keep insertion order, because the order is part of the wire bytes. After a JSON
 * round trip whole numbers come back as Integer (or Long when they do not fit).
 */
public record ProposalCreated(UUID proposalId, int ordinal, String strategy, String operator,
                              Map<String, Object> parameters, List<UUID> parents, List<FilePatch> patches,
                              @Nullable String parentTree)
        implements EventPayload {

    /** A proposal whose patches apply to the study's own workspace. */
    public ProposalCreated(UUID proposalId, int ordinal, String strategy, String operator,
                           Map<String, Object> parameters, List<UUID> parents, List<FilePatch> patches) {
        this(proposalId, ordinal, strategy, operator, parameters, parents, patches, null);
    }

    /** A proposal that only sets parameters (no patch set). */
    public ProposalCreated(UUID proposalId, int ordinal, String strategy, String operator, Map<String, Object> parameters,
                           List<UUID> parents) {
        this(proposalId, ordinal, strategy, operator, parameters, parents, List.of(), null);
    }

    public ProposalCreated {
        Checks.notNull(proposalId, "proposalId");
        Checks.atLeast(ordinal, 0, "ordinal");
        Checks.notBlank(strategy, "strategy");
        Checks.notBlank(operator, "operator");
        parameters = Checks.orderedMap(parameters, "parameters");
        parameters.forEach((k, v) -> {
            boolean scalar = v instanceof String || v instanceof Integer || v instanceof Long
                    || v instanceof Boolean || (v instanceof Double d && Double.isFinite(d));
            if (!scalar) {
                throw new IllegalArgumentException("parameters['" + k + "'] must be a String, Integer, Long, finite Double or Boolean but was "
                        + v.getClass().getSimpleName());
            }
        });
        parents = Checks.list(parents, "parents");
        patches = Checks.list(patches, "patches");
        if (parentTree != null) {
            Checks.contentHash(parentTree, "parentTree");
        }
    }
}
