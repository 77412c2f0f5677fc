import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Online bin packing (capacity 100) of Weibull(shape 3, scale 45) item sizes, as in the FunSearch
 * bin-packing setup, with a parameterised priority heuristic that contains best-fit.
 *
 * <p>Each item goes to the candidate with the highest priority among the open bins it fits in and
 * a fresh (empty) bin. With gap {@code g = remaining - size}:
 * <pre>
 *   priority = -fit_weight * g
 *              - gap_penalty * shape(g)          if 0 &lt; g &lt; gap_threshold
 *              + fill_bonus                      if the candidate is the fresh bin
 *   shape(g) = 1                                 penalty_shape = step
 *   shape(g) = (gap_threshold - g) / gap_threshold   penalty_shape = ramp
 * </pre>
 * Ties go to the earliest open bin; the fresh bin wins only with a strictly higher priority.
 * Best-fit is fit_weight = 1, gap_penalty = 0, fill_bonus = 0 (the defaults).
 *
 * <p>Modes: {@code train} (5 instances of 500 items from SEEDLOOP_SEED, prints {"excess_pct": x}),
 * {@code heldout} (20 fixed instances disjoint from every training seed, prints
 * {"heldout_excess_pct": x}), {@code validate} (checks the packings; exit 1 on a violation),
 * {@code baseline} (best-fit's train metric for SEEDLOOP_SEED, ignoring params.json).
 * Parameters come from params.json in the working directory (else SEEDLOOP_PARAM_* variables,
 * else the best-fit defaults). Single file, JDK 17+, no libraries: {@code java BinPacking.java train}.
 */
public class BinPacking {

    static final int CAPACITY = 100;
    static final int ITEMS = 500;
    static final int TRAIN_INSTANCES = 5;
    static final int HELDOUT_INSTANCES = 20;
    static final long HELDOUT_BASE = 1_000_000L;

    /** The heuristic's parameters. */
    record Params(double fitWeight, double gapPenalty, int gapThreshold, double fillBonus, boolean ramp) {
        static final Params BEST_FIT = new Params(1.0, 0.0, 10, 0.0, false);

        double priority(int size, int remaining) {
            int g = remaining - size;
            double p = -fitWeight * g;
            if (g > 0 && g < gapThreshold) {
                p -= gapPenalty * (ramp ? (double) (gapThreshold - g) / gapThreshold : 1.0);
            }
            if (remaining == CAPACITY) {
                p += fillBonus;
            }
            return p;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "fit_weight=%s gap_penalty=%s gap_threshold=%d fill_bonus=%s penalty_shape=%s",
                    fitWeight, gapPenalty, gapThreshold, fillBonus, ramp ? "ramp" : "step");
        }
    }

    /** A packing: for each bin, the indices of its items and the sizes the packer placed. */
    record Packing(List<List<Integer>> itemsPerBin, List<List<Integer>> sizesPerBin) {
        int bins() {
            return itemsPerBin.size();
        }
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "train" : args[0];
        try {
            switch (mode) {
                case "train" -> printMetric("excess_pct", trainExcess(params(), seed()));
                case "heldout" -> printMetric("heldout_excess_pct", heldoutExcess(params()));
                case "baseline" -> printMetric("excess_pct", trainExcess(Params.BEST_FIT, seed()));
                case "validate" -> validate(params(), seed());
                default -> {
                    System.err.println("unknown mode '" + mode + "': use train, heldout, validate or baseline");
                    System.exit(2);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("bad input: " + e.getMessage());
            System.exit(2);
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

    // ---- instances ----------------------------------------------------------------------------

    /** Training instance j for seed s: generator key s * 5 + j (non-negative). */
    static int[] trainInstance(long seed, int j) {
        return instance(seed * TRAIN_INSTANCES + j, ITEMS);
    }

    /** Held-out instance j: generator key -(1_000_000 + j) - 1, negative, so never a training key. */
    static int[] heldoutInstance(int j) {
        return instance(-(HELDOUT_BASE + j) - 1, ITEMS);
    }

    /** Weibull(shape 3, scale 45) sizes rounded to integers and clipped to [1, 100]. */
    static int[] instance(long key, int n) {
        SplittableRandom rnd = new SplittableRandom(key * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
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

    static Packing pack(int[] sizes, Params p) {
        boolean corrupt = "1".equals(System.getenv("SEEDLOOP_TEST_CORRUPT"));
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
                    double pr = p.priority(size, remaining[b]);
                    if (best < 0 || pr > bestPriority) {
                        best = b;
                        bestPriority = pr;
                    }
                }
            }
            if (best < 0 && corrupt && open > 0) {
                best = 0; // test hook: overfill the first bin instead of opening a new one
            } else if (best < 0 || p.priority(size, CAPACITY) > bestPriority) {
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

    static double excessPct(int[] sizes, Params p) {
        int lb = l1(sizes);
        return 100.0 * (pack(sizes, p).bins() - lb) / lb;
    }

    static double trainExcess(Params p, long seed) {
        double total = 0;
        for (int j = 0; j < TRAIN_INSTANCES; j++) {
            total += excessPct(trainInstance(seed, j), p);
        }
        return total / TRAIN_INSTANCES;
    }

    static double heldoutExcess(Params p) {
        double total = 0;
        for (int j = 0; j < HELDOUT_INSTANCES; j++) {
            total += excessPct(heldoutInstance(j), p);
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
                if (i < 0 || i >= sizes.length) {
                    return "bin " + b + " holds unknown item " + i;
                }
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
        if (packing.bins() < l1(sizes)) {
            return "fewer bins than the lower bound";
        }
        return null;
    }

    static void validate(Params p, long seed) {
        List<int[]> instances = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            instances.add(trainInstance(seed, j));
        }
        instances.add(heldoutInstance(0));
        for (int k = 0; k < instances.size(); k++) {
            String problem = check(instances.get(k), pack(instances.get(k), p));
            if (problem != null) {
                System.out.println("validation failed on instance " + k + " (" + p + "): " + problem);
                System.exit(1);
            }
        }
        System.out.println("validation ok");
    }

    // ---- parameters ---------------------------------------------------------------------------

    static Params params() throws java.io.IOException {
        Map<String, Object> raw = new LinkedHashMap<>();
        Path file = Path.of("params.json");
        if (Files.exists(file)) {
            raw.putAll(parseFlatJson(Files.readString(file, StandardCharsets.UTF_8)));
        } else {
            for (String name : List.of("fit_weight", "gap_penalty", "gap_threshold", "fill_bonus", "penalty_shape")) {
                String v = System.getenv("SEEDLOOP_PARAM_" + name.toUpperCase(Locale.ROOT));
                if (v != null) {
                    raw.put(name, name.equals("penalty_shape") ? v : (Object) parseNumber(v, name));
                }
            }
        }
        Params d = Params.BEST_FIT;
        String shape = string(raw, "penalty_shape", d.ramp() ? "ramp" : "step");
        if (!shape.equals("step") && !shape.equals("ramp")) {
            throw new IllegalArgumentException("penalty_shape must be step or ramp but was " + shape);
        }
        int threshold = (int) Math.round(number(raw, "gap_threshold", d.gapThreshold()));
        if (threshold < 1) {
            throw new IllegalArgumentException("gap_threshold must be >= 1 but was " + threshold);
        }
        return new Params(number(raw, "fit_weight", d.fitWeight()), number(raw, "gap_penalty", d.gapPenalty()),
                threshold, number(raw, "fill_bonus", d.fillBonus()), shape.equals("ramp"));
    }

    static double number(Map<String, Object> raw, String name, double fallback) {
        Object v = raw.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Double d) || !Double.isFinite(d)) {
            throw new IllegalArgumentException(name + " must be a finite number but was " + v);
        }
        return d;
    }

    static String string(Map<String, Object> raw, String name, String fallback) {
        Object v = raw.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(name + " must be a string but was " + v);
        }
        return s;
    }

    static double parseNumber(String s, String name) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + s);
        }
    }

    /** Parses a flat JSON object whose values are numbers, strings, booleans or null. */
    static Map<String, Object> parseFlatJson(String text) {
        Map<String, Object> out = new LinkedHashMap<>();
        int[] pos = {0};
        skip(text, pos);
        expect(text, pos, '{');
        skip(text, pos);
        if (peek(text, pos) == '}') {
            pos[0]++;
            return out;
        }
        while (true) {
            skip(text, pos);
            String key = readString(text, pos);
            skip(text, pos);
            expect(text, pos, ':');
            skip(text, pos);
            char c = peek(text, pos);
            Object value;
            if (c == '"') {
                value = readString(text, pos);
            } else if (text.startsWith("true", pos[0]) || text.startsWith("false", pos[0])
                    || text.startsWith("null", pos[0])) {
                String word = text.startsWith("true", pos[0]) ? "true" : text.startsWith("false", pos[0]) ? "false" : "null";
                pos[0] += word.length();
                value = word.equals("null") ? null : Boolean.valueOf(word);
            } else {
                int start = pos[0];
                while (pos[0] < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos[0])) >= 0) {
                    pos[0]++;
                }
                value = parseNumber(text.substring(start, pos[0]), key);
            }
            out.put(key, value);
            skip(text, pos);
            char next = peek(text, pos);
            pos[0]++;
            if (next == '}') {
                return out;
            }
            if (next != ',') {
                throw new IllegalArgumentException("params.json: expected ',' or '}' at " + (pos[0] - 1));
            }
        }
    }

    static void skip(String t, int[] pos) {
        while (pos[0] < t.length() && Character.isWhitespace(t.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    static char peek(String t, int[] pos) {
        if (pos[0] >= t.length()) {
            throw new IllegalArgumentException("params.json: unexpected end");
        }
        return t.charAt(pos[0]);
    }

    static void expect(String t, int[] pos, char c) {
        if (peek(t, pos) != c) {
            throw new IllegalArgumentException("params.json: expected '" + c + "' at " + pos[0]);
        }
        pos[0]++;
    }

    static String readString(String t, int[] pos) {
        expect(t, pos, '"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = peek(t, pos);
            pos[0]++;
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                char e = peek(t, pos);
                pos[0]++;
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (pos[0] + 4 > t.length()) {
                            throw new IllegalArgumentException("params.json: bad \\u escape");
                        }
                        sb.append((char) Integer.parseInt(t.substring(pos[0], pos[0] + 4), 16));
                        pos[0] += 4;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
    }
}
