package dev.seedloop.implementer.application;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.seedloop.implementer.domain.MetricsParse;
import dev.seedloop.implementer.domain.MetricsProtocol;

/**
 * Reads the metrics a run reported: the JSON of its metrics line (or of {@code metrics.json}) with Jackson, judged
 * by {@link MetricsProtocol}'s rules, which say where the metrics are and what they may be.
 */
public final class MetricsReader {

    /** Most of {@code metrics.json} that is read; the rest of a larger file is not looked at. */
    private static final int MAX_METRICS_FILE_BYTES = 1024 * 1024;

    // Non-numeric tokens (NaN, Infinity) are accepted by the parser only so they can be
    // rejected with a precise message instead of "malformed JSON".
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private MetricsReader() {
    }

    /**
     * @param stdout          the (tail of the) run's stdout
     * @param metricsFile     content of {@code metrics.json}, or null when absent or not to be read
     * @param objectiveMetric metric that must be present, or null to skip that check
     */
    public static MetricsParse read(String stdout, String metricsFile, String objectiveMetric) {
        String line = MetricsProtocol.metricsLine(stdout);
        MetricsParse parsed;
        if (line != null) {
            parsed = readObject(line, MetricsProtocol.STDOUT);
        } else if (metricsFile != null) {
            parsed = readObject(metricsFile.strip(), MetricsProtocol.METRICS_FILE);
        } else {
            return MetricsProtocol.noMetrics();
        }
        return MetricsProtocol.requireObjective(parsed, objectiveMetric);
    }

    /** Content of {@code metrics.json} in {@code workspace} if it is a regular file (links are not followed), else null. */
    static String metricsFile(Path workspace) throws IOException {
        Path file = workspace.resolve(MetricsProtocol.METRICS_FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return new String(in.readNBytes(MAX_METRICS_FILE_BYTES), StandardCharsets.UTF_8);
        }
    }

    private static MetricsParse readObject(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return MetricsProtocol.malformed(source, e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            return MetricsProtocol.notAnObject(source);
        }
        List<MetricsProtocol.Field> fields = new ArrayList<>(root.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.add(new MetricsProtocol.Field(field.getKey(), value(field.getValue())));
        }
        return MetricsProtocol.judge(fields, source);
    }

    private static MetricsProtocol.Value value(JsonNode node) {
        if (node.isBoolean()) {
            return new MetricsProtocol.Value.Flag(node.booleanValue());
        }
        if (node.isNumber()) {
            return new MetricsProtocol.Value.Number(node.doubleValue(), node.asText());
        }
        return new MetricsProtocol.Value.Other(node.toString());
    }
}
