package dev.seedloop.implementer.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rules of how an experiment reports metrics; reading the JSON is the application's (MetricsReader), which
 * hands each field over as a {@link Field}. The metrics line is the last stdout line that, trimmed, starts with
 * '{' and ends with '}'; it must be a flat JSON object whose values are finite numbers or booleans ({@code true}
 * counts as 1.0, {@code false} as 0.0), e.g. {@code {"excess_bins": 3.2, "runtime": 1.0, "valid": true}}. Strings
 * (also {@code "NaN"}), null, arrays, nested objects and non-finite numbers are refused. Only when stdout has no
 * such line is {@code metrics.json} in the workspace root read, with the same rules. A malformed metrics line is
 * an error rather than a reason to look further, so mistakes surface instead of stale files being used.
 *
 * <p>A line carries at most {@value #MAX_METRICS} metrics whose names are 1 to {@value #MAX_NAME_LENGTH}
 * printable ASCII characters other than {@code "} and {@code \}. The experiment is untrusted and may print
 * anything; these bounds are what keep an ExperimentCompleted of the most repeats an operator allows far
 * below {@code EventLimits.MAX_EVENT_BYTES} (each name is then as many bytes in the event as characters, each
 * metric at most about 75 bytes, a repeat under 2.5 KiB). Beyond them the experiment fails with bad metrics.
 */
public final class MetricsProtocol {

    /** File read when stdout carries no metrics line. */
    public static final String METRICS_FILE = "metrics.json";

    /** Source name of metrics read from the metrics line. */
    public static final String STDOUT = "stdout";

    /** Most metrics one line (or metrics.json) may report. */
    public static final int MAX_METRICS = 32;

    /** Longest metric name, in characters (= bytes: names are printable ASCII). */
    public static final int MAX_NAME_LENGTH = 48;

    private MetricsProtocol() {
    }

    /** A member of the metrics object as the JSON reader found it, before any rule is applied. */
    public record Field(String name, Value value) {

        public Field {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** A member's value: a number (as parsed and as written), a boolean, or anything else (as JSON text). */
    public sealed interface Value {

        /** {@code text} is how the reader renders it, e.g. {@code NaN} or {@code Infinity}. */
        record Number(double value, String text) implements Value {
        }

        record Flag(boolean value) implements Value {
        }

        /** A string, null, an array or an object, as JSON. */
        record Other(String json) implements Value {
        }
    }

    /** The metrics line of {@code stdout}: its last line that, trimmed, is {@code {...}}; null when there is none. */
    public static String metricsLine(String stdout) {
        String[] lines = (stdout == null ? "" : stdout).split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String t = lines[i].strip();
            if (t.length() >= 2 && t.charAt(0) == '{' && t.charAt(t.length() - 1) == '}') {
                return t;
            }
        }
        return null;
    }

    /** Neither a metrics line nor a metrics file. */
    public static MetricsParse.Invalid noMetrics() {
        return new MetricsParse.Invalid("no metrics: print a JSON object of numbers as the last JSON line of stdout"
                + " or write " + METRICS_FILE + " in the workspace root");
    }

    /** The text from {@code source} is not JSON; {@code why} is the reader's own explanation. */
    public static MetricsParse.Invalid malformed(String source, String why) {
        return new MetricsParse.Invalid("malformed metrics JSON in " + source + ": " + why);
    }

    /** The text from {@code source} is JSON, but not an object. */
    public static MetricsParse.Invalid notAnObject(String source) {
        return new MetricsParse.Invalid("metrics in " + source + " must be a JSON object");
    }

    /** The members of the metrics object from {@code source}, in the order written, judged by the rules above. */
    public static MetricsParse judge(List<Field> fields, String source) {
        if (fields.size() > MAX_METRICS) {
            return new MetricsParse.Invalid("metrics in " + source + " report " + fields.size()
                    + " metrics; at most " + MAX_METRICS + " are allowed");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Field field : fields) {
            String name = field.name();
            String nameProblem = nameProblem(name);
            if (nameProblem != null) {
                return new MetricsParse.Invalid("metric name '" + abbreviate(name) + "' in " + source + " " + nameProblem);
            }
            switch (field.value()) {
                case Value.Flag flag -> metrics.put(name, flag.value() ? 1.0 : 0.0);
                case Value.Other other -> {
                    return new MetricsParse.Invalid("metric '" + name + "' in " + source
                            + " is not a number: " + abbreviate(other.json()));
                }
                case Value.Number number -> {
                    if (!Double.isFinite(number.value())) {
                        return new MetricsParse.Invalid("metric '" + name + "' in " + source
                                + " is not finite: " + abbreviate(number.text()));
                    }
                    metrics.put(name, number.value());
                }
            }
        }
        if (metrics.isEmpty()) {
            return new MetricsParse.Invalid("no metrics: the metrics object in " + source + " is empty");
        }
        return new MetricsParse.Parsed(metrics, source);
    }

    /** {@code parsed}, unless it lacks {@code objectiveMetric} (null: no metric is required). */
    public static MetricsParse requireObjective(MetricsParse parsed, String objectiveMetric) {
        if (parsed instanceof MetricsParse.Parsed ok && objectiveMetric != null
                && !ok.metrics().containsKey(objectiveMetric)) {
            return new MetricsParse.Invalid("objective metric '" + objectiveMetric + "' missing from metrics ("
                    + ok.source() + " has " + ok.metrics().keySet() + ")");
        }
        return parsed;
    }

    /** Why the name is refused, or null when it is fine. */
    private static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "has " + name.length() + " characters; at most " + MAX_NAME_LENGTH + " are allowed";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return "must be printable ASCII without '\"' or '\\' (character " + (i + 1) + " is U+"
                        + String.format("%04X", (int) c) + ")";
            }
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
