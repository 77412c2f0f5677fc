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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The protected harness of the code-evolution bin-packing task: compiles the evolvable {@code Priority.java} of
 * the working directory (in memory, so JDK 17's single-file source launcher suffices), packs Weibull(3, 45) items
 * online into bins of capacity 100 with its priority function, and reports the excess over the L1 lower bound.
 *
 * <p>Modes: {@code train} (5 instances of 500 items from SEEDLOOP_SEED, prints {"excess_pct": x}),
 * {@code heldout} (20 fixed instances disjoint from every training seed, prints {"heldout_excess_pct": x}),
 * {@code validate} (checks every packing and the priority function; exit 1 on a violation, else
 * "validation ok"). Exit 3 when Priority.java does not compile or has no usable priority(int, int).
 * Run: {@code java Harness.java train}.
 */
public class Harness {

    static final int CAPACITY = 100;
    static final int ITEMS = 500;
    static final int TRAIN_INSTANCES = 5;
    static final int HELDOUT_INSTANCES = 20;
    static final long HELDOUT_BASE = 1_000_000L;

    /** A bad priority function or a broken packing: the run fails with this message. */
    static final class Violation extends RuntimeException {
        Violation(String message) {
            super(message);
        }
    }

    record Packing(List<List<Integer>> itemsPerBin, List<List<Integer>> sizesPerBin) {
        int bins() {
            return itemsPerBin.size();
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
        MethodHandle priority = load(Path.of("Priority.java"));
        try {
            switch (mode) {
                case "train" -> printMetric("excess_pct", trainExcess(priority, seed));
                case "heldout" -> printMetric("heldout_excess_pct", heldoutExcess(priority));
                case "validate" -> validate(priority, seed);
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

    /** Compiles {@code source} in memory and answers its {@code static double priority(int, int)}; exit 3 if none. */
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
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///Priority.java"),
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
            fail("Priority.java does not compile:\n" + diagnostics);
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
            Class<?> type = loader.loadClass("Priority");
            return MethodHandles.publicLookup().findStatic(type, "priority",
                    MethodType.methodType(double.class, int.class, int.class));
        } catch (ReflectiveOperationException e) {
            fail("Priority.java must declare public final class Priority with public static double priority(int item,"
                    + " int remaining): " + e);
            return null;
        }
    }

    static void fail(String message) {
        System.err.println(message);
        System.exit(3);
    }

    static double priority(MethodHandle priority, int item, int remaining) {
        double p;
        try {
            p = (double) priority.invokeExact(item, remaining);
        } catch (RuntimeException | Error e) {
            throw new Violation("priority(" + item + ", " + remaining + ") threw " + e);
        } catch (Throwable e) {
            throw new Violation("priority(" + item + ", " + remaining + ") threw " + e);
        }
        if (Double.isNaN(p)) {
            throw new Violation("priority(" + item + ", " + remaining + ") is NaN");
        }
        return p;
    }

    // ---- instances (sizes as in examples/bin-packing) -----------------------------------------

    /** Training instance j for seed s: generator key s * 5 + j (non-negative). */
    static int[] trainInstance(long seed, int j) {
        return instance(seed * TRAIN_INSTANCES + j, ITEMS);
    }

    /** Held-out instance j: generator key -(1_000_000 + j) - 1, negative, so never a training key. */
    static int[] heldoutInstance(int j) {
        return instance(-(HELDOUT_BASE + j) - 1, ITEMS);
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

    /** Weibull(shape 3, scale 45) sizes rounded to integers and clipped to [1, 100]. */
    static int[] instance(long key, int n) {
        SplittableRandom rnd = generator(key, 0x632BE59BD9B4E019L);
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble();
            double x = 45.0 * Math.pow(-Math.log1p(-u), 1.0 / 3.0);
            sizes[i] = (int) Math.max(1, Math.min(CAPACITY, Math.round(x)));
        }
        return sizes;
    }

    static int l1(int[] sizes) {
        long sum = 0;
        for (int s : sizes) {
            sum += s;
        }
        return (int) ((sum + CAPACITY - 1) / CAPACITY);
    }

    // ---- packing ------------------------------------------------------------------------------

    static Packing pack(int[] sizes, MethodHandle priority) {
        List<List<Integer>> items = new ArrayList<>();
        List<List<Integer>> placed = new ArrayList<>();
        int[] remaining = new int[sizes.length];
        int open = 0;
        for (int i = 0; i < sizes.length; i++) {
            int size = sizes[i];
            int best = -1;
            double bestPriority = Double.NEGATIVE_INFINITY;
            for (int b = 0; b < open; b++) {
                if (remaining[b] >= size) {
                    double pr = priority(priority, size, remaining[b]);
                    if (best < 0 || pr > bestPriority) {
                        best = b;
                        bestPriority = pr;
                    }
                }
            }
            if (best < 0 || priority(priority, size, CAPACITY) > bestPriority) {
                best = open++;
                remaining[best] = CAPACITY;
                items.add(new ArrayList<>());
                placed.add(new ArrayList<>());
            }
            remaining[best] -= size;
            items.get(best).add(i);
            placed.get(best).add(size);
        }
        return new Packing(items, placed);
    }

    static double excessPct(int[] sizes, MethodHandle priority) {
        int lb = l1(sizes);
        return 100.0 * (pack(sizes, priority).bins() - lb) / lb;
    }

    static double trainExcess(MethodHandle priority, long seed) {
        double total = 0;
        for (int j = 0; j < TRAIN_INSTANCES; j++) {
            total += excessPct(trainInstance(seed, j), priority);
        }
        return total / TRAIN_INSTANCES;
    }

    static double heldoutExcess(MethodHandle priority) {
        double total = 0;
        for (int j = 0; j < HELDOUT_INSTANCES; j++) {
            total += excessPct(heldoutInstance(j), priority);
        }
        return total / HELDOUT_INSTANCES;
    }

    // ---- validation ---------------------------------------------------------------------------

    /** Null when the packing is a valid packing of sizes, else what is wrong. */
    static String check(int[] sizes, Packing packing) {
        int[] seen = new int[sizes.length];
        for (int b = 0; b < packing.bins(); b++) {
            List<Integer> items = packing.itemsPerBin().get(b);
            List<Integer> placed = packing.sizesPerBin().get(b);
            if (items.isEmpty() || items.size() != placed.size()) {
                return "bin " + b + " is empty or inconsistent";
            }
            int load = 0;
            for (int k = 0; k < items.size(); k++) {
                int i = items.get(k);
                if (placed.get(k) != sizes[i]) {
                    return "item " + i + " has size " + sizes[i] + " but was placed as " + placed.get(k);
                }
                seen[i]++;
                load += sizes[i];
            }
            if (load > CAPACITY) {
                return "bin " + b + " holds " + load + " > capacity " + CAPACITY;
            }
        }
        for (int i = 0; i < sizes.length; i++) {
            if (seen[i] != 1) {
                return "item " + i + " was placed " + seen[i] + " times";
            }
        }
        return packing.bins() < l1(sizes) ? "fewer bins than the lower bound" : null;
    }

    /**
     * Packs 3 training instances and a held-out one and checks each packing; checks that the priority function
     * answers every (item, remaining) pair with a number and the same number twice (a packer must be
     * deterministic to be compared fairly).
     */
    static void validate(MethodHandle priority, long seed) {
        for (int item = 1; item <= CAPACITY; item++) {
            for (int remaining = item; remaining <= CAPACITY; remaining++) {
                double first = priority(priority, item, remaining);
                if (Double.compare(first, priority(priority, item, remaining)) != 0) {
                    throw new Violation("priority(" + item + ", " + remaining + ") is not deterministic");
                }
            }
        }
        List<int[]> instances = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            instances.add(trainInstance(seed, j));
        }
        instances.add(heldoutInstance(0));
        for (int k = 0; k < instances.size(); k++) {
            String problem = check(instances.get(k), pack(instances.get(k), priority));
            if (problem != null) {
                throw new Violation("instance " + k + ": " + problem);
            }
        }
        System.out.println("validation ok");
    }
}
