package dev.seedloop.events;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The proposer suggested a point in the search space. {@code ordinal} counts proposals within a
 * study from 0; {@code operator} names the strategy move (e.g. {@code "mutate"}); {@code parents}
 * are the proposals it was derived from (empty for fresh samples); {@code patches} are files the
 * experiment's workspace copy gets on top of the study's workspace (empty for parameter-only moves).
 *
 * <p>Invariant: parameter values are JSON scalars only — String, Integer, Long, Double or
 * Boolean — and keep insertion order, because the order is part of the wire bytes. After a JSON
 * round trip whole numbers come back as Integer (or Long when they do not fit).
 */
public record ProposalCreated(UUID proposalId, int ordinal, String strategy, String operator,
                              Map<String, Object> parameters, List<UUID> parents, List<FilePatch> patches)
        implements EventPayload {

    /** A proposal that only sets parameters (no patch set). */
    public ProposalCreated(UUID proposalId, int ordinal, String strategy, String operator, Map<String, Object> parameters,
                           List<UUID> parents) {
        this(proposalId, ordinal, strategy, operator, parameters, parents, List.of());
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
    }
}
