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
 * numbers, e.g. {@code {"excess_bins": 3.2, "runtime": 1.0}}. Only when stdout has no such line
 * is {@code metrics.json} in the workspace root read, with the same rules. A malformed metrics
 * line is an error rather than a reason to look further, so mistakes surface instead of stale
 * files being used.
 */
public final class MetricsProtocol {

    /** File read when stdout carries no metrics line. */
    public static final String METRICS_FILE = "metrics.json";

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
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (!value.isNumber()) {
                return new MetricsParse.Invalid("metric '" + field.getKey() + "' in " + source
                        + " is not a number: " + abbreviate(value.toString()));
            }
            double d = value.doubleValue();
            if (!Double.isFinite(d)) {
                return new MetricsParse.Invalid("metric '" + field.getKey() + "' in " + source
                        + " is not finite: " + abbreviate(value.asText()));
            }
            metrics.put(field.getKey(), d);
        }
        if (metrics.isEmpty()) {
            return new MetricsParse.Invalid("no metrics: the metrics object in " + source + " is empty");
        }
        return new MetricsParse.Parsed(metrics, source);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
