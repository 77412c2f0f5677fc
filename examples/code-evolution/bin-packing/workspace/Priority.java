/**
 * The evolvable part of the bin-packing task: how much an online packer wants to put an item into a bin.
 * Only the code between the EVOLVE-BLOCK markers is meant to change; the harness (Harness.java, protected)
 * compiles this file, packs generated instances with it and measures the bins used.
 */
public final class Priority {

    private Priority() {
    }

    // EVOLVE-BLOCK-START
    /**
     * The priority of putting an item of size {@code item} (1..100) into a bin with {@code remaining} capacity
     * left (item <= remaining <= 100; remaining == 100 is a fresh, empty bin). The packer puts the item into the
     * candidate with the highest priority; ties go to the earliest open bin, and a fresh bin is opened only when
     * its priority is strictly higher than every open bin's (or when the item fits nowhere else).
     */
    public static double priority(int item, int remaining) {
        return 0.0;
    }
    // EVOLVE-BLOCK-END
}
