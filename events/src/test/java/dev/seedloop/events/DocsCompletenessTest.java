package dev.seedloop.events;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code docs/events.md} is the human-facing contract; it must list exactly the registered types. */
class DocsCompletenessTest {

    static Path eventsDoc() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path root : new Path[] {cwd.getParent(), cwd}) {
            Path doc = root.resolve("docs/events.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new AssertionError("docs/events.md not found from " + cwd);
    }

    /** Table rows keyed by the first cell; cells trimmed and stripped of backticks. */
    static Map<String, List<String>> tableRows() throws IOException {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(eventsDoc())) {
            String l = line.trim();
            if (!l.startsWith("|") || l.matches("^\\|[\\s:|-]+\\|$")) {
                continue;
            }
            List<String> cells = Arrays.stream(l.substring(1, l.length() - 1).split("\\|", -1))
                    .map(c -> c.replace("`", "").trim())
                    .toList();
            rows.put(cells.get(0), cells);
        }
        return rows;
    }

    @Test
    void everyRegisteredTypeHasAMatchingTableRow() throws IOException {
        Map<String, List<String>> rows = tableRows();
        assertThat(rows).containsKey("type");
        assertThat(rows.get("type")).containsExactly("type", "version", "payload", "topic", "producer", "consumers");
        for (EventType t : EventTypes.all()) {
            assertThat(rows).as("row for %s in docs/events.md", t.name()).containsKey(t.name());
            List<String> row = rows.get(t.name());
            assertThat(row).as(t.name()).hasSize(6);
            assertThat(row.get(1)).as("%s version", t.name()).isEqualTo(String.valueOf(t.version()));
            assertThat(row.get(2)).as("%s payload", t.name()).isEqualTo(t.payloadClass().getSimpleName());
            assertThat(row.get(3)).as("%s topic", t.name()).isEqualTo(t.topic());
            assertThat(row.get(4)).as("%s producer", t.name()).isEqualTo(t.producer());
            assertThat(Arrays.stream(row.get(5).split(",")).map(String::trim).toList())
                    .as("%s consumers", t.name()).containsExactlyInAnyOrderElementsOf(t.consumers());
        }
    }

    @Test
    void tableListsNoUnregisteredType() throws IOException {
        assertThat(tableRows().keySet().stream().filter(k -> k.startsWith("seedloop.")))
                .allSatisfy(name -> assertThat(EventTypes.forName(name)).as(name).isPresent());
    }
}
