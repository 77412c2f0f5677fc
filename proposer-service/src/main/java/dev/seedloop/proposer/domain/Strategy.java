package dev.seedloop.proposer.domain;

import java.util.List;

/**
 * A search strategy: turns a study's history into the next parameter points to try.
 *
 * <p>Implementations are pure functions of their {@link StrategyInput}: no clock, no shared
 * state, no unseeded randomness. The randomness behind the candidate with ordinal {@code o} is
 * derived from {@code (seed, o)} alone, so the same history and pending points always yield the same candidate for
 * the same ordinal. A batch's earlier candidates are in flight for its later ones, so a batch equals its candidates
 * requested one by one, each with the earlier ones as {@link StrategyInput#pending()}. Replaying a study's events
 * therefore reproduces its proposals bit for bit.
 */
public interface Strategy {

    /** The registry name ({@link Strategies#byName(String)}); studies record it for replay. */
    String name();

    /**
     * Proposes {@code count} candidates with ordinals {@code input.nextOrdinal()} onwards, in
     * ordinal order. Every candidate lies inside the search space.
     */
    List<Candidate> propose(StrategyInput input, int count);
}
