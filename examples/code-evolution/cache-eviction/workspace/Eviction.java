/**
 * The evolvable part of the cache-eviction task: which cached entry a full cache gives up for a new one. Only the
 * code between the EVOLVE-BLOCK markers is meant to change; the harness (Harness.java, protected) compiles this
 * file, replays generated request traces through a cache with it and measures the misses.
 */
public final class Eviction {

    private Eviction() {
    }

    // EVOLVE-BLOCK-START
    /**
     * How much the cache wants to keep an entry; when it is full, the entry with the lowest score is evicted (ties
     * go to the entry cached earliest). {@code now} is the number of the current request (from 0), {@code lastUse}
     * the request that last hit or inserted the entry, {@code uses} how often it was requested while cached (1 on
     * insertion) and {@code insertedAt} the request that brought it in; all are at most {@code now}.
     */
    public static double keep(long now, long lastUse, long uses, long insertedAt) {
        return lastUse;
    }
    // EVOLVE-BLOCK-END
}
