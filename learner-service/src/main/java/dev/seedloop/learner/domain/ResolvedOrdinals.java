package dev.seedloop.learner.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.Verdict;

/**
 * Which of a study's proposal ordinals are resolved: evaluated (whatever the verdict; a failed experiment is evaluated
 * invalid) or rejected by the proposer. The learner asks for ordinal n only once every ordinal ≤ n − parallelism is
 * resolved (ADR 0021), so this is what its requests wait for.
 *
 * <p>{@code below}: every ordinal under it is resolved. {@code beyond}: the resolved ordinals above it, ascending:
 * those that finished before an earlier one did, at most about the parallelism, so the value stays small whatever
 * the study's length. {@code unplaced}: evaluations folded before their proposal's ProposalCreated (another topic,
 * read in another order under load), by proposal id: their ordinal and point are unknown until it comes, so they
 * resolve nothing yet; the ProposalCreated places them (a request must carry the result it waited for).
 */
public record ResolvedOrdinals(int below, List<Integer> beyond, Map<UUID, Result> unplaced) {

    /** An evaluation's verdict and value ({@code value} null when invalid), kept until its proposal is known. */
    public record Result(Verdict verdict, Double value) {
    }

    public static final ResolvedOrdinals NONE = new ResolvedOrdinals(0, List.of(), Map.of());

    public ResolvedOrdinals {
        if (below < 0) {
            throw new IllegalArgumentException("below must be >= 0 but was " + below);
        }
        beyond = List.copyOf(beyond);
        unplaced = Collections.unmodifiableMap(new LinkedHashMap<>(unplaced));
    }

    /** Nothing unplaced. */
    public ResolvedOrdinals(int below, List<Integer> beyond) {
        this(below, beyond, Map.of());
    }

    /** With an evaluation whose proposal is not known yet. */
    public ResolvedOrdinals waiting(UUID proposalId, Result result) {
        Map<UUID, Result> next = new LinkedHashMap<>(unplaced);
        next.putIfAbsent(proposalId, result);
        return new ResolvedOrdinals(below, beyond, next);
    }

    /** Without the unplaced evaluation of this proposal (its ProposalCreated came). */
    public ResolvedOrdinals placed(UUID proposalId) {
        if (!unplaced.containsKey(proposalId)) {
            return this;
        }
        Map<UUID, Result> next = new LinkedHashMap<>(unplaced);
        next.remove(proposalId);
        return new ResolvedOrdinals(below, beyond, next);
    }

    public boolean contains(int ordinal) {
        return ordinal < below || beyond.contains(ordinal);
    }

    /** With {@code ordinal} resolved too; this value itself when it already was. */
    public ResolvedOrdinals with(int ordinal) {
        if (ordinal < 0 || contains(ordinal)) {
            return this;
        }
        List<Integer> next = new ArrayList<>(beyond.size() + 1);
        next.addAll(beyond);
        int at = 0;
        while (at < next.size() && next.get(at) < ordinal) {
            at++;
        }
        next.add(at, ordinal);
        int from = below;
        while (!next.isEmpty() && next.getFirst() == from) {
            next.removeFirst();
            from++;
        }
        return new ResolvedOrdinals(from, next, unplaced);
    }
}
