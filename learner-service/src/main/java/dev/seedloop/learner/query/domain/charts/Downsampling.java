package dev.seedloop.learner.query.domain.charts;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Which of a study's evaluation points a chart keeps when there are more than it may show. Kept: every point marked
 * as required (the champions' and the latest), then, in the slots left, the lowest and the highest value of each of
 * equal stretches (buckets) of the remaining points in evaluation order, so the cloud's envelope survives. Ties go to
 * the earlier point. Deterministic: the same values and marks keep the same points.
 *
 * <p>When the required points alone exceed the budget, the latest point is kept with required points picked at an
 * even stride among the others (the caller's answer carries every champion in full anyway).
 */
public final class Downsampling {

    private Downsampling() {
    }

    /**
     * The positions (0-based, ascending) of the points kept out of {@code values.length}, at most {@code budget}.
     *
     * @param values   each point's value, in evaluation order (finite)
     * @param required points that must be kept when the budget allows (the last point is always required)
     * @param budget   the most points kept, at least 1
     */
    public static int[] keep(double[] values, BitSet required, int budget) {
        int n = values.length;
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be >= 1 but was " + budget);
        }
        if (n <= budget) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        BitSet kept = new BitSet(n);
        kept.set(n - 1);
        BitSet mandatory = (BitSet) required.clone();
        mandatory.clear(n, Math.max(n, mandatory.length()));
        mandatory.clear(n - 1);
        int others = mandatory.cardinality();
        if (others > budget - 1) {
            // Evenly among the required points, first and last of them included when two or more fit.
            int[] marked = mandatory.stream().toArray();
            int slots = budget - 1;
            for (int k = 0; k < slots; k++) {
                kept.set(marked[slots == 1 ? marked.length - 1 : (int) ((long) k * (marked.length - 1) / (slots - 1))]);
            }
            return kept.stream().toArray();
        }
        kept.or(mandatory);
        int free = budget - kept.cardinality();
        int buckets = free / 2;
        if (buckets > 0) {
            int[] candidates = new int[n - kept.cardinality()];
            int c = 0;
            for (int i = kept.nextClearBit(0); i < n; i = kept.nextClearBit(i + 1)) {
                candidates[c++] = i;
            }
            for (int b = 0; b < buckets; b++) {
                int from = (int) ((long) b * candidates.length / buckets);
                int to = (int) ((long) (b + 1) * candidates.length / buckets);
                keepExtremes(values, candidates, from, to, kept);
            }
        }
        return kept.stream().toArray();
    }

    /** The lowest and the highest of {@code candidates[from, to)}; the last one when all are equal. */
    private static void keepExtremes(double[] values, int[] candidates, int from, int to, BitSet kept) {
        if (from >= to) {
            return;
        }
        int low = candidates[from];
        int high = candidates[from];
        for (int i = from + 1; i < to; i++) {
            int at = candidates[i];
            if (values[at] < values[low]) {
                low = at;
            }
            if (values[at] > values[high]) {
                high = at;
            }
        }
        kept.set(low);
        kept.set(low == high ? candidates[to - 1] : high);
    }
}
