package dev.seedloop.implementer.domain;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * How an experiment reports metrics. The metrics line is the last stdout line that, trimmed,
 * starts with '{' and ends with '}'; it must be a flat JSON object whose values are finite
 * numbers or booleans ({@code true} counts as 1.0, {@code false} as 0.0), e.g.
 * {@code {"excess_bins": 3.2, "runtime": 1.0, "valid": true}}. Strings (also {@code "NaN"}), null,
 * arrays, nested objects and non-finite numbers are refused. Only when stdout has no such line
 * is {@code metrics.json} in the workspace root read, with the same rules. A malformed metrics
 * line is an error rather than a reason to look further, so mistakes surface instead of stale
 * files being used.
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

    /** Most metrics one line (or metrics.json) may report. */
    public static final int MAX_METRICS = 32;

    /** Longest metric name, in characters (= bytes: names are printable ASCII). */
    public static final int MAX_NAME_LENGTH = 48;

    // Non-numeric tokens (NaN, Infinity) are accepted by the parser only so they can be
    // rejected with a precise message instead of "malformed JSON".
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private MetricsProtocol() {
    }

    /**
     * @param stdout            the (tail of the) experiment's stdout
     * @param metricsFile       content of {@code metrics.json}, or null when absent
     * @param objectiveMetric   metric that must be present, or null to skip that check
     */
    public static MetricsParse parse(String stdout, String metricsFile, String objectiveMetric) {
        String line = lastObjectLine(stdout == null ? "" : stdout);
        MetricsParse parsed;
        if (line != null) {
            parsed = parseObject(line, "stdout");
        } else if (metricsFile != null) {
            parsed = parseObject(metricsFile.strip(), METRICS_FILE);
        } else {
            return new MetricsParse.Invalid("no metrics: print a JSON object of numbers as the last JSON line of stdout"
                    + " or write " + METRICS_FILE + " in the workspace root");
        }
        if (parsed instanceof MetricsParse.Parsed ok && objectiveMetric != null
                && !ok.metrics().containsKey(objectiveMetric)) {
            return new MetricsParse.Invalid("objective metric '" + objectiveMetric + "' missing from metrics ("
                    + ok.source() + " has " + ok.metrics().keySet() + ")");
        }
        return parsed;
    }

    private static String lastObjectLine(String stdout) {
        String[] lines = stdout.split("\\R");
        for (int i = lines.length - 1; i >= 0; i--) {
            String t = lines[i].strip();
            if (t.length() >= 2 && t.charAt(0) == '{' && t.charAt(t.length() - 1) == '}') {
                return t;
            }
        }
        return null;
    }

    private static MetricsParse parseObject(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return new MetricsParse.Invalid("malformed metrics JSON in " + source + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return new MetricsParse.Invalid("metrics in " + source + " must be a JSON object");
        }
        if (root.size() > MAX_METRICS) {
            return new MetricsParse.Invalid("metrics in " + source + " report " + root.size()
                    + " metrics; at most " + MAX_METRICS + " are allowed");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            String nameProblem = nameProblem(name);
            if (nameProblem != null) {
                return new MetricsParse.Invalid("metric name '" + abbreviate(name) + "' in " + source + " " + nameProblem);
            }
            JsonNode value = field.getValue();
            if (value.isBoolean()) {
                metrics.put(name, value.booleanValue() ? 1.0 : 0.0);
                continue;
            }
            if (!value.isNumber()) {
                return new MetricsParse.Invalid("metric '" + name + "' in " + source
                        + " is not a number: " + abbreviate(value.toString()));
            }
            double d = value.doubleValue();
            if (!Double.isFinite(d)) {
                return new MetricsParse.Invalid("metric '" + name + "' in " + source
                        + " is not finite: " + abbreviate(value.asText()));
            }
            metrics.put(name, d);
        }
        if (metrics.isEmpty()) {
            return new MetricsParse.Invalid("no metrics: the metrics object in " + source + " is empty");
        }
        return new MetricsParse.Parsed(metrics, source);
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
