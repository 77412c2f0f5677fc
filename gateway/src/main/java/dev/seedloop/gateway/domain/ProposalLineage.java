package dev.seedloop.gateway.domain;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.ProposalCreated;

/**
 * The code of some proposals of a study, folded from its events in sequence order: the tree each was built on
 * ({@code parentTree}: ProposalCreated v2, else its ExperimentStarted v2) and the tree its experiment ran
 * ({@code tree}: ExperimentCompleted v2, else ExperimentStarted v2; null until the implementer has built it).
 */
public final class ProposalLineage {

    /** A proposal's code: either tree may be null (not built yet; a study without an uploaded workspace). */
    public record Code(UUID proposalId, String parentTree, String tree, boolean completed) {
    }

    private final Set<UUID> wanted;
    private final Map<UUID, Code> found = new HashMap<>();

    /** Folds the events of the proposals in {@code wanted} only. */
    public ProposalLineage(Set<UUID> wanted) {
        this.wanted = Set.copyOf(wanted);
    }

    public void accept(EventPayload payload) {
        switch (payload) {
            case ProposalCreated created when wanted.contains(created.proposalId()) ->
                    found.put(created.proposalId(), new Code(created.proposalId(), created.parentTree(), null, false));
            case ExperimentStarted started when found.containsKey(started.proposalId()) -> {
                Code code = found.get(started.proposalId());
                found.put(code.proposalId(), new Code(code.proposalId(), firstSet(code.parentTree(),
                        started.parentTree()), firstSet(started.tree(), code.tree()), code.completed()));
            }
            case ExperimentCompleted completed when found.containsKey(completed.proposalId()) -> {
                Code code = found.get(completed.proposalId());
                found.put(code.proposalId(), new Code(code.proposalId(), code.parentTree(),
                        firstSet(completed.tree(), code.tree()), true));
            }
            default -> {
            }
        }
    }

    /** Whether every wanted proposal's experiment has completed: later events cannot change their code. */
    public boolean settled() {
        return found.size() == wanted.size() && found.values().stream().allMatch(Code::completed);
    }

    /** The proposal's code; empty when the study has no such proposal. */
    public Optional<Code> code(UUID proposalId) {
        return Optional.ofNullable(found.get(proposalId));
    }

    private static String firstSet(String preferred, String otherwise) {
        return preferred != null ? preferred : otherwise;
    }
}
