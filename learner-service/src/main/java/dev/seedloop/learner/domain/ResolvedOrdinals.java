package dev.seedloop.learner.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a study's proposal ordinals are resolved: evaluated (whatever the verdict; a failed experiment is evaluated
 * invalid) or rejected by the proposer. The learner asks for ordinal n only once every ordinal ≤ n − parallelism is
 * resolved (ADR 0021), so this is what its requests wait for.
 *
 * <p>{@code below}: every ordinal under it is resolved. {@code beyond}: the resolved ordinals above it, ascending:
 * those that finished before an earlier one did, at most about the parallelism, so the value stays small whatever
 * the study's length.
 */
public record ResolvedOrdinals(int below, List<Integer> beyond) {

    public static final ResolvedOrdinals NONE = new ResolvedOrdinals(0, List.of());

    public ResolvedOrdinals {
        if (below < 0) {
            throw new IllegalArgumentException("below must be >= 0 but was " + below);
        }
        beyond = List.copyOf(beyond);
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
        return new ResolvedOrdinals(from, next);
    }
}
