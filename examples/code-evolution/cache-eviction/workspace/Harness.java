import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The protected harness of the code-evolution cache-eviction task: compiles the evolvable {@code Eviction.java} of
 * the working directory (in memory, so JDK 17's single-file source launcher suffices), replays generated request
 * traces through a cache of 100 entries that evicts by its {@code keep} score, and reports the miss ratio.
 *
 * <p>Traces: 20,000 requests each; 80 % go to 1,000 hot keys with Zipf(0.9) popularity whose ranking drifts
 * (every 2,000 requests the 100 most popular keys hand their ranks to 100 others), 20 % are sequential scans of
 * 50 to 300 keys never requested again (one-hit wonders that pollute a recency-only cache).
 *
 * <p>Modes: {@code train} (3 traces from SEEDLOOP_SEED, prints {"miss_pct": x}), {@code heldout} (10 fixed traces
 * disjoint from every training seed, prints {"heldout_miss_pct": x}), {@code validate} (checks the score function
 * and that every simulated run misses at least as often as Belady's optimum, computed independently; exit 1 on a
 * violation, else "validation ok"). Exit 3 when Eviction.java does not compile or has no usable keep(long, long,
 * long, long). Run: {@code java Harness.java train}.
 */
public class Harness {

    static final int CAPACITY = 100;
    static final int REQUESTS = 20_000;
    static final int HOT_KEYS = 1_000;
    static final double ZIPF = 0.9;
    static final int DRIFT_EVERY = 2_000;
    static final int DRIFT_KEYS = 100;
    /** After a hot request, a scan starts with this probability: a mean scan of 175 keys makes 20 % of requests. */
    static final double SCAN_START = 1.0 / 700;
    static final int TRAIN_TRACES = 3;
    static final int HELDOUT_TRACES = 10;
    static final long HELDOUT_BASE = 1_000_000L;

    /** A bad score function or an impossible result: the run fails with this message. */
    static final class Violation extends RuntimeException {
        Violation(String message) {
            super(message);
        }
    }

    public static void main(String[] args) throws Throwable {
        String mode = args.length == 0 ? "train" : args[0];
        long seed;
        try {
            seed = seed();
        } catch (IllegalArgumentException e) {
            System.err.println("bad input: " + e.getMessage());
            System.exit(2);
            return;
        }
        MethodHandle keep = load(Path.of("Eviction.java"));
        try {
            switch (mode) {
                case "train" -> printMetric("miss_pct", trainMisses(keep, seed));
                case "heldout" -> printMetric("heldout_miss_pct", heldoutMisses(keep));
                case "validate" -> validate(keep, seed);
                default -> {
                    System.err.println("unknown mode '" + mode + "': use train, heldout or validate");
                    System.exit(2);
                }
            }
        } catch (Violation e) {
            System.out.println("validation failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static void printMetric(String name, double value) {
        System.out.println(String.format(Locale.ROOT, "{\"%s\": %.6f}", name, value));
    }

    static long seed() {
        String s = System.getenv("SEEDLOOP_SEED");
        if (s == null || s.isBlank()) {
            return 0;
        }
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) {
                throw new IllegalArgumentException("SEEDLOOP_SEED must be >= 0 but was " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SEEDLOOP_SEED is not an integer: " + s);
        }
    }

    // ---- the evolvable code -------------------------------------------------------------------

    /** Compiles {@code source} in memory and answers its {@code static double keep(long, long, long, long)}. */
    static MethodHandle load(Path source) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            fail("this Java runtime has no compiler (a JDK is needed)");
        }
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        JavaFileManager files = new ForwardingJavaFileManager<>(javac.getStandardFileManager(null, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension),
                        kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return classes.computeIfAbsent(className, name -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        String code = Files.readString(source, StandardCharsets.UTF_8);
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///Eviction.java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        };
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, files, null, List.of("-proc:none", "-Xlint:none"), null,
                List.of(unit)).call();
        if (!compiled) {
            fail("Eviction.java does not compile:\n" + diagnostics);
        }
        ClassLoader loader = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                ByteArrayOutputStream bytes = classes.get(name);
                if (bytes == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] b = bytes.toByteArray();
                return defineClass(name, b, 0, b.length);
            }
        };
        try {
            Class<?> type = loader.loadClass("Eviction");
            return MethodHandles.publicLookup().findStatic(type, "keep",
                    MethodType.methodType(double.class, long.class, long.class, long.class, long.class));
        } catch (ReflectiveOperationException e) {
            fail("Eviction.java must declare public final class Eviction with public static double keep(long now,"
                    + " long lastUse, long uses, long insertedAt): " + e);
            return null;
        }
    }

    static void fail(String message) {
        System.err.println(message);
        System.exit(3);
    }

    static double keep(MethodHandle keep, long now, long lastUse, long uses, long insertedAt) {
        double score;
        try {
            score = (double) keep.invokeExact(now, lastUse, uses, insertedAt);
        } catch (Throwable e) {
            throw new Violation("keep(" + now + ", " + lastUse + ", " + uses + ", " + insertedAt + ") threw " + e);
        }
        if (Double.isNaN(score)) {
            throw new Violation("keep(" + now + ", " + lastUse + ", " + uses + ", " + insertedAt + ") is NaN");
        }
        return score;
    }

    // ---- traces -------------------------------------------------------------------------------

    /** Training trace j for seed s: generator key s * 3 + j (non-negative). */
    static int[] trainTrace(long seed, int j) {
        return trace(seed * TRAIN_TRACES + j);
    }

    /** Held-out trace j: generator key -(1_000_000 + j) - 1, negative, so never a training key. */
    static int[] heldoutTrace(int j) {
        return trace(-(HELDOUT_BASE + j) - 1);
    }

    /**
     * The random source of instance key {@code key}. The key is scrambled first: SplittableRandom's streams for two
     * seeds one golden gamma apart are the same stream shifted by one draw, so seeding with {@code key * gamma + c}
     * would make neighbouring instances all but identical.
     */
    static SplittableRandom generator(long key, long salt) {
        long z = key ^ salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new SplittableRandom(z ^ (z >>> 31));
    }

    /** Hot keys are 0..999 (ranked by a drifting permutation); scan keys count up from 1,000 and never repeat. */
    static int[] trace(long key) {
        SplittableRandom rnd = generator(key, 0x2545F4914F6CDD1DL);
        double[] cumulative = new double[HOT_KEYS];
        double total = 0;
        for (int r = 0; r < HOT_KEYS; r++) {
            total += 1.0 / Math.pow(r + 1, ZIPF);
            cumulative[r] = total;
        }
        int[] keyOfRank = new int[HOT_KEYS];
        for (int r = 0; r < HOT_KEYS; r++) {
            keyOfRank[r] = r;
        }
        shuffle(keyOfRank, rnd);
        int[] requests = new int[REQUESTS];
        int nextScanKey = HOT_KEYS;
        int scanLeft = 0;
        for (int i = 0; i < REQUESTS; i++) {
            if (i > 0 && i % DRIFT_EVERY == 0) {
                // The most popular keys swap ranks with keys from the tail: yesterday's favourites go cold.
                for (int r = 0; r < DRIFT_KEYS; r++) {
                    int other = DRIFT_KEYS + rnd.nextInt(HOT_KEYS - DRIFT_KEYS);
                    int t = keyOfRank[r];
                    keyOfRank[r] = keyOfRank[other];
                    keyOfRank[other] = t;
                }
            }
            if (scanLeft == 0 && rnd.nextDouble() < SCAN_START) {
                scanLeft = 50 + rnd.nextInt(251);
            }
            if (scanLeft > 0) {
                requests[i] = nextScanKey++;
                scanLeft--;
            } else {
                double u = rnd.nextDouble() * total;
                int rank = Arrays.binarySearch(cumulative, u);
                rank = rank >= 0 ? rank : -rank - 1;
                requests[i] = keyOfRank[Math.min(rank, HOT_KEYS - 1)];
            }
        }
        return requests;
    }

    static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    // ---- the cache ----------------------------------------------------------------------------

    /** Replays the trace through a cache evicting the lowest keep score; answers the misses. */
    static int misses(int[] trace, MethodHandle keep) {
        Map<Integer, Integer> slotOf = new HashMap<>();
        int[] keys = new int[CAPACITY];
        long[] lastUse = new long[CAPACITY];
        long[] uses = new long[CAPACITY];
        long[] insertedAt = new long[CAPACITY];
        int used = 0;
        int misses = 0;
        for (int now = 0; now < trace.length; now++) {
            Integer slot = slotOf.get(trace[now]);
            if (slot != null) {
                lastUse[slot] = now;
                uses[slot]++;
                continue;
            }
            misses++;
            int target;
            if (used < CAPACITY) {
                target = used++;
            } else {
                target = -1;
                double lowest = Double.POSITIVE_INFINITY;
                for (int s = 0; s < CAPACITY; s++) {
                    double score = keep(keep, now, lastUse[s], uses[s], insertedAt[s]);
                    if (target < 0 || score < lowest
                            || (score == lowest && insertedAt[s] < insertedAt[target])) {
                        target = s;
                        lowest = score;
                    }
                }
                slotOf.remove(keys[target]);
            }
            keys[target] = trace[now];
            slotOf.put(trace[now], target);
            lastUse[target] = now;
            uses[target] = 1;
            insertedAt[target] = now;
        }
        return misses;
    }

    static double missPct(int[] trace, MethodHandle keep) {
        return 100.0 * misses(trace, keep) / trace.length;
    }

    static double trainMisses(MethodHandle keep, long seed) {
        double total = 0;
        for (int j = 0; j < TRAIN_TRACES; j++) {
            total += missPct(trainTrace(seed, j), keep);
        }
        return total / TRAIN_TRACES;
    }

    static double heldoutMisses(MethodHandle keep) {
        double total = 0;
        for (int j = 0; j < HELDOUT_TRACES; j++) {
            total += missPct(heldoutTrace(j), keep);
        }
        return total / HELDOUT_TRACES;
    }

    // ---- validation ---------------------------------------------------------------------------

    /** Belady's optimum: on a miss with a full cache, evict the key requested again furthest in the future. */
    static int beladyMisses(int[] trace) {
        Map<Integer, ArrayDeque<Integer>> next = new HashMap<>();
        for (int i = 0; i < trace.length; i++) {
            next.computeIfAbsent(trace[i], k -> new ArrayDeque<>()).add(i);
        }
        TreeSet<long[]> byNextUse = new TreeSet<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                : Long.compare(a[1], b[1]));
        Map<Integer, long[]> cached = new HashMap<>();
        int misses = 0;
        for (int i = 0; i < trace.length; i++) {
            int key = trace[i];
            next.get(key).poll();
            Integer upcoming = next.get(key).peek();
            long nextUse = upcoming == null ? Long.MAX_VALUE : upcoming;
            long[] entry = cached.remove(key);
            if (entry != null) {
                byNextUse.remove(entry);
            } else {
                misses++;
                if (cached.size() == CAPACITY) {
                    long[] victim = byNextUse.pollLast();
                    cached.remove((int) victim[1]);
                }
            }
            long[] fresh = {nextUse, key};
            byNextUse.add(fresh);
            cached.put(key, fresh);
        }
        return misses;
    }

    /**
     * Checks that the score function answers numbers and the same number twice (a policy must be deterministic to
     * be compared fairly), and that on 2 training traces and a held-out one the cache misses at least as often as
     * Belady's optimum and at least once per distinct key.
     */
    static void validate(MethodHandle keep, long seed) {
        for (long now = 0; now < 200; now += 7) {
            for (long last = 0; last <= now; last += 5) {
                for (long uses = 1; uses < 20; uses += 3) {
                    double first = keep(keep, now, last, uses, last / 2);
                    if (Double.compare(first, keep(keep, now, last, uses, last / 2)) != 0) {
                        throw new Violation("keep(" + now + ", " + last + ", " + uses + ", " + last / 2
                                + ") is not deterministic");
                    }
                }
            }
        }
        List<int[]> traces = new ArrayList<>(List.of(trainTrace(seed, 0), trainTrace(seed, 1), heldoutTrace(0)));
        for (int k = 0; k < traces.size(); k++) {
            int[] trace = traces.get(k);
            int misses = misses(trace, keep);
            int optimum = beladyMisses(trace);
            long distinct = Arrays.stream(trace).distinct().count();
            if (misses < optimum || misses < distinct) {
                throw new Violation("trace " + k + ": " + misses + " misses, below Belady's optimum " + optimum
                        + " or the " + distinct + " distinct keys");
            }
        }
        System.out.println("validation ok");
    }
}
