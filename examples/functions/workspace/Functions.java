import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Standard black-box test functions for Seedloop studies. Single file, JDK 17+, no libraries:
 * {@code java Functions.java branin|hartmann6|rosenbrock5}.
 *
 * <p>Reads x1..xn from params.json in the working directory (a flat JSON object; a missing file
 * falls back to SEEDLOOP_PARAM_X1.. variables), adds Gaussian noise with standard deviation
 * {@code NOISE} (default 0) drawn from a generator seeded by SEEDLOOP_SEED, and prints
 * {"value": f} as the last line.
 * <ul>
 *   <li>branin: x1 in [-5, 10], x2 in [0, 15]; minimum 0.397887 at (-pi, 12.275), (pi, 2.275), (9.42478, 2.475)</li>
 *   <li>hartmann6: x1..x6 in [0, 1]; minimum -3.32237 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)</li>
 *   <li>rosenbrock5: x1..x5 in [-5, 10]; minimum 0 at (1, 1, 1, 1, 1)</li>
 * </ul>
 */
public class Functions {

    public static void main(String[] args) throws Exception {
        String fn = args.length == 0 ? "" : args[0];
        int dims = switch (fn) {
            case "branin" -> 2;
            case "hartmann6" -> 6;
            case "rosenbrock5" -> 5;
            default -> -1;
        };
        if (dims < 0) {
            System.err.println("usage: java Functions.java branin|hartmann6|rosenbrock5");
            System.exit(2);
        }
        double[] x;
        double noise;
        long seed;
        try {
            x = read(dims);
            noise = envNumber("NOISE", 0);
            seed = (long) envNumber("SEEDLOOP_SEED", 0);
        } catch (IllegalArgumentException e) {
            System.err.println("bad input: " + e.getMessage());
            System.exit(2);
            return;
        }
        double f = switch (fn) {
            case "branin" -> branin(x);
            case "hartmann6" -> hartmann6(x);
            default -> rosenbrock(x);
        };
        if (noise > 0) {
            f += noise * new Random(seed).nextGaussian();
        }
        System.out.println(String.format(Locale.ROOT, "{\"value\": %.9f}", f));
    }

    static double branin(double[] x) {
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        double u = x[1] - b * x[0] * x[0] + c * x[0] - 6;
        return u * u + 10 * (1 - t) * Math.cos(x[0]) + 10;
    }

    static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
    static final double[][] A = {
            {10, 3, 17, 3.5, 1.7, 8},
            {0.05, 10, 17, 0.1, 8, 14},
            {3, 3.5, 1.7, 10, 17, 8},
            {17, 8, 0.05, 10, 0.1, 14}};
    static final double[][] P = {
            {1312, 1696, 5569, 124, 8283, 5886},
            {2329, 4135, 8307, 3736, 1004, 9991},
            {2348, 1451, 3522, 2883, 3047, 6650},
            {4047, 8828, 8732, 5743, 1091, 381}};

    static double hartmann6(double[] x) {
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double inner = 0;
            for (int j = 0; j < 6; j++) {
                double d = x[j] - P[i][j] * 1e-4;
                inner += A[i][j] * d * d;
            }
            sum += ALPHA[i] * Math.exp(-inner);
        }
        return -sum;
    }

    static double rosenbrock(double[] x) {
        double sum = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            sum += 100 * a * a + b * b;
        }
        return sum;
    }

    static double envNumber(String name, double fallback) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + v);
        }
    }

    static double[] read(int dims) throws java.io.IOException {
        Path file = Path.of("params.json");
        Map<String, String> raw = Files.exists(file)
                ? parseFlatJson(Files.readString(file, StandardCharsets.UTF_8)) : new LinkedHashMap<>();
        double[] x = new double[dims];
        for (int i = 0; i < dims; i++) {
            String name = "x" + (i + 1);
            String v = Files.exists(file) ? raw.get(name) : System.getenv("SEEDLOOP_PARAM_X" + (i + 1));
            if (v == null) {
                throw new IllegalArgumentException("parameter " + name + " is missing");
            }
            try {
                x[i] = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " is not a number: " + v);
            }
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(name + " is not finite: " + v);
            }
        }
        return x;
    }

    /** Parses a flat JSON object into raw value text (strings unescaped, numbers as written). */
    static Map<String, String> parseFlatJson(String t) {
        Map<String, String> out = new LinkedHashMap<>();
        int[] pos = {0};
        expect(t, pos, '{');
        if (peek(t, pos) == '}') {
            return out;
        }
        while (true) {
            String key = readString(t, pos);
            expect(t, pos, ':');
            String value;
            if (peek(t, pos) == '"') {
                value = readString(t, pos);
            } else {
                int start = pos[0];
                while (pos[0] < t.length() && ",} \t\r\n".indexOf(t.charAt(pos[0])) < 0) {
                    pos[0]++;
                }
                value = t.substring(start, pos[0]);
            }
            out.put(key, value);
            char next = peek(t, pos);
            pos[0]++;
            if (next == '}') {
                return out;
            }
            if (next != ',') {
                throw new IllegalArgumentException("params.json: expected ',' or '}' at " + (pos[0] - 1));
            }
        }
    }

    /** The next non-blank character, without consuming it. */
    static char peek(String t, int[] pos) {
        while (pos[0] < t.length() && Character.isWhitespace(t.charAt(pos[0]))) {
            pos[0]++;
        }
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
        while (pos[0] < t.length()) {
            char c = t.charAt(pos[0]++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\' && pos[0] < t.length()) {
                char e = t.charAt(pos[0]++);
                if (e == 'u' && pos[0] + 4 <= t.length()) {
                    sb.append((char) Integer.parseInt(t.substring(pos[0], pos[0] + 4), 16));
                    pos[0] += 4;
                } else {
                    sb.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> e;
                    });
                }
            } else {
                sb.append(c);
            }
        }
        throw new IllegalArgumentException("params.json: unterminated string");
    }
}
