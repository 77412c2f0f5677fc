package dev.seedloop.proposer.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.seedloop.events.SearchSpace;

/**
 * Quasi-random space filling with a randomly shifted Sobol sequence (Joe-Kuo 2008 direction
 * numbers, {@code new-joe-kuo-6.21201}, first {@value #MAX_DIMS} dimensions).
 *
 * <p>Point {@code ordinal} is Sobol point number {@code ordinal}, XOR-shifted by a digital shift
 * drawn from the study seed. A digital shift keeps the net property, so any first {@code 2^m}
 * points stratify every elementary box of the right volume, while different seeds still give
 * different designs. Dimensions beyond {@value #MAX_DIMS} fall back to uniform random coordinates.
 * The model-based strategies use it for their start-up phase: the first handful of evaluations
 * should cover the space, not cluster by chance.
 */
public final class SobolSearch implements Strategy {

    public static final String NAME = "sobol";
    public static final String OPERATOR = "sobol";
    static final int MAX_DIMS = 32;
    private static final int BITS = 32;
    private static final long SHIFT_SALT = Seeds.salt("sobol.shift");
    private static final long FALLBACK_SALT = Seeds.salt("sobol.fallback");

    /** Rows for dimensions 2..32: s, a, m_1..m_s. Dimension 1 is van der Corput. */
    private static final int[][] JOE_KUO = {
            {1, 0, 1}, {2, 1, 1, 3}, {3, 1, 1, 3, 1}, {3, 2, 1, 1, 1}, {4, 1, 1, 1, 3, 3},
            {4, 4, 1, 3, 5, 13}, {5, 2, 1, 1, 5, 5, 17}, {5, 4, 1, 1, 5, 5, 5}, {5, 7, 1, 1, 7, 11, 19},
            {5, 11, 1, 1, 5, 1, 1}, {5, 13, 1, 1, 1, 3, 11}, {5, 14, 1, 3, 5, 5, 31},
            {6, 1, 1, 3, 3, 9, 7, 49}, {6, 13, 1, 1, 1, 15, 21, 21}, {6, 16, 1, 3, 1, 13, 27, 49},
            {6, 19, 1, 1, 1, 15, 7, 5}, {6, 22, 1, 3, 1, 15, 13, 25}, {6, 25, 1, 1, 5, 5, 19, 61},
            {7, 1, 1, 3, 7, 11, 23, 15, 103}, {7, 4, 1, 3, 7, 13, 13, 15, 69}, {7, 7, 1, 1, 3, 13, 7, 35, 63},
            {7, 8, 1, 3, 5, 9, 1, 25, 53}, {7, 14, 1, 3, 1, 13, 9, 35, 107}, {7, 19, 1, 3, 1, 5, 27, 61, 31},
            {7, 21, 1, 1, 5, 11, 19, 41, 61}, {7, 28, 1, 3, 5, 3, 3, 13, 69}, {7, 31, 1, 1, 7, 13, 1, 19, 1},
            {7, 32, 1, 3, 7, 5, 13, 19, 59}, {7, 37, 1, 1, 3, 9, 25, 29, 41}, {7, 41, 1, 3, 5, 13, 23, 1, 55},
            {7, 42, 1, 3, 7, 3, 13, 59, 17},
    };

    /** DIRECTIONS[d][b]: direction number of dimension d for bit b, left-aligned in 32 bits. */
    private static final long[][] DIRECTIONS = directions();

    public static final SobolSearch INSTANCE = new SobolSearch();

    private SobolSearch() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Candidate> propose(StrategyInput input, int count) {
        UnitSpace unit = new UnitSpace(input.space());
        List<Candidate> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int ordinal = input.nextOrdinal() + i;
            out.add(new Candidate(ordinal, unit.decode(unitPoint(unit.dims(), input.seed(), ordinal)), OPERATOR, List.of()));
        }
        return out;
    }

    /** Shifted Sobol point {@code index} of a design for {@code seed}, as unit coordinates. */
    static double[] unitPoint(int dims, long seed, long index) {
        SplittableRandom shifts = Seeds.stream(seed, SHIFT_SALT, 0);
        double[] u = new double[dims];
        SplittableRandom fallback = null;
        for (int d = 0; d < dims; d++) {
            long shift = shifts.nextLong() & 0xFFFFFFFFL;
            if (d >= MAX_DIMS) {
                if (fallback == null) {
                    fallback = Seeds.stream(seed, FALLBACK_SALT, (int) index);
                }
                u[d] = fallback.nextDouble();
                continue;
            }
            long x = 0;
            for (int b = 0; b < BITS && (index >>> b) != 0; b++) {
                if (((index >>> b) & 1L) != 0) {
                    x ^= DIRECTIONS[d][b];
                }
            }
            // The half-cell offset keeps coordinates strictly inside (0, 1), off the cell edges.
            u[d] = (((x ^ shift) & 0xFFFFFFFFL) + 0.5) / 4294967296.0;
        }
        return u;
    }

    /** Convenience for callers outside the strategy API: the shifted Sobol point as parameters. */
    public static java.util.Map<String, Object> sample(SearchSpace space, long seed, int ordinal) {
        UnitSpace unit = new UnitSpace(space);
        return unit.decode(unitPoint(unit.dims(), seed, ordinal));
    }

    private static long[][] directions() {
        long[][] v = new long[MAX_DIMS][BITS];
        for (int b = 0; b < BITS; b++) {
            v[0][b] = 1L << (BITS - 1 - b);
        }
        for (int d = 1; d < MAX_DIMS; d++) {
            int[] row = JOE_KUO[d - 1];
            int s = row[0];
            int a = row[1];
            for (int b = 0; b < Math.min(s, BITS); b++) {
                v[d][b] = ((long) row[2 + b]) << (BITS - 1 - b);
            }
            for (int b = s; b < BITS; b++) {
                long value = v[d][b - s] ^ (v[d][b - s] >>> s);
                for (int k = 1; k < s; k++) {
                    if (((a >>> (s - 1 - k)) & 1) != 0) {
                        value ^= v[d][b - k];
                    }
                }
                v[d][b] = value;
            }
        }
        return v;
    }
}
