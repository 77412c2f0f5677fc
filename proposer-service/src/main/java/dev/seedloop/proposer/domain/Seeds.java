package dev.seedloop.proposer.domain;

import java.util.SplittableRandom;

/**
 * Derives the random stream of one candidate, so no stream depends on its batch or neighbours. Public for the llm
 * strategy ({@code domain.llm}), whose choices are seeded the same way.
 */
public final class Seeds {

    private Seeds() {
    }

    /**
     * The stream for {@code ordinal} of a study. {@code salt} keeps strategies (and purposes within
     * a strategy) from sharing a stream: a mutation must not be correlated with the sobol shift.
     */
    public static SplittableRandom stream(long seed, long salt, int ordinal) {
        return new SplittableRandom(RandomSearch.mix(seed ^ RandomSearch.mix(salt, 0), ordinal));
    }

    /** Stable 64-bit salt from a name, independent of String.hashCode's 32 bits. */
    public static long salt(String name) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < name.length(); i++) {
            h ^= name.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
