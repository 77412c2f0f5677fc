package dev.seedloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventLimits;
import dev.seedloop.events.WorkspaceRef;
import dev.seedloop.gateway.domain.SpecTooLarge;
import dev.seedloop.gateway.domain.SpecViolations;
import dev.seedloop.gateway.domain.StudyCreation;
import dev.seedloop.gateway.domain.StudySpecDraft;

/**
 * Whatever spec the gateway accepts, the StudyCreated it publishes stays well within the event size limit, with room
 * left for what a fork inherits.
 */
class SpecSizeTest {

    private final ObjectMapper json = new ObjectMapper();
    private final EventCodec codec = new EventCodec();

    private SpecReader reader() {
        SpecReader reader = new SpecReader();
        reader.json = json;
        return reader;
    }

    /**
     * As large as the limits allow, shaped to grow the most on its way into the event: the most parameters (each gains
     * the fields it left out), then environment values up to the total size.
     */
    private String largestSpec() throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "n".repeat(100));
        spec.put("objective", Map.of("metric", "m".repeat(64), "direction", "minimize"));
        spec.put("workspace", "/" + "w".repeat(4000));
        spec.put("searchSpace", IntStream.range(0, 256).mapToObj(i -> Map.of("name", "p" + i, "kind", "int",
                "low", 0, "high", 1)).toList());
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> experiment = new LinkedHashMap<>();
        experiment.put("command", List.of("run"));
        experiment.put("env", env);
        spec.put("experiment", experiment);
        spec.put("budget", Map.of("maxExperiments", 10));
        for (int i = 0; i < 128; i++) {
            env.put("E" + i, "");
            int room = SpecTooLarge.MAX_SPEC_BYTES - json.writeValueAsBytes(spec).length;
            if (room <= 0) {
                env.remove("E" + i);
                break;
            }
            env.put("E" + i, "v".repeat(Math.min(4096, room)));
        }
        return json.writeValueAsString(spec);
    }

    @Test
    void theLargestAcceptedSpecMakesAStudyCreatedFarBelowTheEventLimit() throws Exception {
        String spec = largestSpec();
        assertThat(spec.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(SpecTooLarge.MAX_SPEC_BYTES - 100)
                .isLessThanOrEqualTo(SpecTooLarge.MAX_SPEC_BYTES);

        StudySpecDraft draft = reader().read(spec);
        UUID id = UUID.randomUUID();
        EventEnvelope created = StudyCreation.decide(draft, "team-a", "alice-researcher", Instant.EPOCH, id,
                "sha256:" + "0".repeat(64), new WorkspaceRef(draft.workspace(), "sha256:" + "1".repeat(64)), 7L);

        assertThat(codec.encode(created).length).as("a quarter of the limit at most; the rest is a fork's inheritance")
                .isLessThan(EventLimits.MAX_EVENT_BYTES / 4);
    }

    @Test
    void oneByteMoreIsTooLarge() throws Exception {
        String spec = largestSpec();
        String over = spec.substring(0, spec.length() - 1) + " ".repeat(SpecTooLarge.MAX_SPEC_BYTES
                - spec.getBytes(StandardCharsets.UTF_8).length + 1) + "}";
        assertThatThrownBy(() -> reader().read(over)).isInstanceOf(SpecTooLarge.class)
                .hasMessageContaining((SpecTooLarge.MAX_SPEC_BYTES + 1) + " bytes");
    }

    @Test
    void eachBoundNamesItsField() {
        String spec = """
                {"name": "n", "objective": {"metric": "loss", "direction": "minimize"},
                 "searchSpace": [{"name": "%s", "kind": "float", "low": 0, "high": 1}],
                 "workspace": "/w", "experiment": {"command": ["%s"], "env": {"%s": "v"}},
                 "strategy": "%s", "budget": {"maxExperiments": 1}, "protectedPaths": [%s],
                 "strategyOptions": {%s}}
                """.formatted("p".repeat(65), "c".repeat(4097), "K".repeat(257), "s".repeat(65),
                String.join(",", java.util.Collections.nCopies(257, "\"x\"")),
                String.join(",", IntStream.range(0, 65).mapToObj(i -> "\"k" + i + "\": \"v\"").toList()));
        assertThatThrownBy(() -> reader().read(spec)).isInstanceOfSatisfying(SpecViolations.class, refused ->
                assertThat(refused.violations()).containsExactlyInAnyOrder(
                        new SpecViolations.Violation("searchSpace[0].name", "must be at most 64 characters (was 65)"),
                        new SpecViolations.Violation("experiment.command[0]",
                                "must be at most 4096 characters (was 4097)"),
                        new SpecViolations.Violation("experiment.env", "names must be 1 to 256 characters; \""
                                + "K".repeat(40) + "…\" has 257"),
                        new SpecViolations.Violation("strategy", "must be at most 64 characters (was 65)"),
                        new SpecViolations.Violation("protectedPaths", "must have at most 256 items (has 257)"),
                        new SpecViolations.Violation("strategyOptions", "must have at most 64 entries")));
    }
}
