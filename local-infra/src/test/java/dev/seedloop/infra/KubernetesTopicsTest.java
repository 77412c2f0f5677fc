package dev.seedloop.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import dev.seedloop.events.TopicCatalogue;

/**
 * {@code deploy/kubernetes/base/topics.yaml} declares exactly the catalogue's topics with the catalogue's settings: the
 * local broker and the tests create topics from the catalogue, so a manifest that drifted would give production other
 * retention than everything we test.
 */
class KubernetesTopicsTest {

    private static final String MANIFEST = "deploy/kubernetes/base/topics.yaml";

    @Test
    void theManifestDeclaresExactlyTheCatalogue() throws IOException {
        Path manifest = repositoryFile(MANIFEST);
        assertEquals(List.of(), drift(Files.readString(manifest)), "drift between " + manifest + " and TopicCatalogue");
    }

    @Test
    void driftIsFoundWhereverItIs() throws IOException {
        String manifest = Files.readString(repositoryFile(MANIFEST));

        String longerQueries = manifest.replace("retention.ms: 3600000", "retention.ms: -1");
        assertTrue(drift(longerQueries).stream().anyMatch(p -> p.contains("seedloop.queries") && p.contains("retention.ms")),
                drift(longerQueries).toString());

        String withoutJournal = manifest.replace("topicName: seedloop.journal", "topicName: seedloop.journal-old");
        assertTrue(drift(withoutJournal).contains("seedloop.journal is in the catalogue but not in the manifest"),
                drift(withoutJournal).toString());
        assertTrue(drift(withoutJournal).contains("seedloop.journal-old is in the manifest but not in the catalogue"),
                drift(withoutJournal).toString());

        String fewerPartitions = manifest.replaceFirst("partitions: 6", "partitions: 3");
        assertTrue(drift(fewerPartitions).stream().anyMatch(p -> p.contains("partitions")), drift(fewerPartitions).toString());
    }

    /** What differs between a manifest of Strimzi {@code KafkaTopic}s and the catalogue, one line per difference. */
    static List<String> drift(String manifestYaml) throws IOException {
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        try (MappingIterator<JsonNode> documents = new YAMLMapper().readerFor(JsonNode.class).readValues(manifestYaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isEmpty() || !"KafkaTopic".equals(document.path("kind").asText())) {
                    continue;
                }
                declared.put(document.path("spec").path("topicName").asText(), document.path("spec"));
            }
        }
        List<String> problems = new ArrayList<>();
        for (TopicCatalogue.Topic topic : TopicCatalogue.all()) {
            JsonNode spec = declared.get(topic.name());
            if (spec == null) {
                problems.add(topic.name() + " is in the catalogue but not in the manifest");
                continue;
            }
            if (spec.path("partitions").asInt() != TopicCatalogue.PARTITIONS) {
                problems.add(topic.name() + " has partitions " + spec.path("partitions").asText() + ", the catalogue "
                        + TopicCatalogue.PARTITIONS);
            }
            topic.config().forEach((key, value) -> {
                String manifestValue = spec.path("config").path(key).asText(null);
                if (!value.equals(manifestValue)) {
                    problems.add(topic.name() + " (" + topic.role() + ") has " + key + " " + manifestValue
                            + ", the catalogue " + value);
                }
            });
        }
        declared.keySet().stream()
                .filter(name -> TopicCatalogue.find(name).isEmpty())
                .forEach(name -> problems.add(name + " is in the manifest but not in the catalogue"));
        return problems;
    }

    /** A file of the repository, found from the module directory the tests run in. */
    static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
