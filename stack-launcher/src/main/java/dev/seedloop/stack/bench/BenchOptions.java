package dev.seedloop.stack.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name N} options of a benchmark, each a positive integer with a default; anything else is refused. */
final class BenchOptions {

    private final Map<String, Integer> values = new HashMap<>();

    private BenchOptions() {
    }

    /** @throws IllegalArgumentException naming what is wrong and what is allowed */
    static BenchOptions parse(String[] args, Map<String, Integer> defaults) {
        BenchOptions options = new BenchOptions();
        options.values.putAll(defaults);
        Set<String> known = defaults.keySet();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !known.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown or incomplete option " + args[i] + "; options: --"
                        + String.join(" N, --", known) + " N");
            }
            int value;
            try {
                value = Integer.parseInt(args[++i]);
            } catch (NumberFormatException e) {
                value = 0;
            }
            if (value < 1) {
                throw new IllegalArgumentException("--" + name + " needs a positive integer, not " + args[i]);
            }
            options.values.put(name, value);
        }
        return options;
    }

    int get(String name) {
        return values.get(name);
    }
}
