package dev.seedloop.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The codec reads each record class's components once and shares what it read between threads. Valid events
 * alone would decode even if that metadata were empty, so the cases here are the golden fixtures plus, for
 * every record component present in a current-version fixture, the fixture with that field removed and with
 * it set to null: their outcomes depend on each component's name, nullability and nested type.
 */
class EventCodecConcurrencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THREADS = 4;
    private static final int COLD_STARTS = 10;

    /** A field of a record component in a fixture: how to reach its parent object, its path as errors name it. */
    private record Field(List<Object> parentSteps, String name, String path, boolean nullable) {
    }

    private record Case(String label, byte[] json) {
    }

    @Test
    void brokenFieldsAreReportedAsTheirRecordComponentsDeclare() throws IOException {
        EventCodec codec = new EventCodec();
        int required = 0;
        for (String fixture : currentFixtures()) {
            JsonNode root = JSON.readTree(fixture);
            String ctx = root.get("type").asText() + " v" + root.get("version").asInt();
            for (Field f : fields(root)) {
                for (boolean remove : new boolean[] {true, false}) {
                    Object outcome = outcome(codec, variant(root, f, remove));
                    String expected = ctx + ": field '" + f.path() + "' " + (remove ? "is missing" : "must not be null");
                    if (f.nullable()) {
                        assertThat(outcome).as(f.path()).isNotEqualTo(error(root, f.path(), expected));
                    } else {
                        assertThat(outcome).as(f.path()).isEqualTo(error(root, f.path(), expected));
                        required++;
                    }
                }
            }
        }
        assertThat(required).as("required fields checked").isGreaterThan(100);
    }

    @Test
    void coldCodecsSharedByThreadsDecodeLikeOneThread() throws Exception {
        List<Case> cases = cases();
        EventCodec reference = new EventCodec();
        List<Object> expected = cases.stream().map(c -> outcome(reference, c.json())).toList();
        assertThat(expected).hasAtLeastOneElementOfType(EventEnvelope.class).hasAtLeastOneElementOfType(String.class);

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int start = 0; start < COLD_STARTS; start++) {
                EventCodec cold = new EventCodec();
                CyclicBarrier together = new CyclicBarrier(THREADS);
                List<Future<List<Object>>> runs = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    // Each thread starts at a different case, so they read different classes first and at once.
                    int offset = t * cases.size() / THREADS;
                    runs.add(pool.submit(() -> {
                        Object[] got = new Object[cases.size()];
                        together.await();
                        for (int i = 0; i < cases.size(); i++) {
                            int at = (offset + i) % cases.size();
                            got[at] = outcome(cold, cases.get(at).json());
                        }
                        return List.of(got);
                    }));
                }
                for (Future<List<Object>> run : runs) {
                    List<Object> got = run.get();
                    for (int i = 0; i < cases.size(); i++) {
                        assertThat(got.get(i)).as("cold start %d, %s", start, cases.get(i).label()).isEqualTo(expected.get(i));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every fixture file as it is (older versions go through the upcasters), then every broken field variant. */
    private static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (Stream<Path> files = Files.walk(GoldenFixtures.sourceDirectory())) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                cases.add(new Case(file.getParent().getFileName() + "/" + file.getFileName(),
                        GoldenFixtures.stripNewline(Files.readString(file, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)));
            }
        }
        for (String fixture : currentFixtures()) {
            JsonNode root = JSON.readTree(fixture);
            for (Field f : fields(root)) {
                cases.add(new Case(root.get("type").asText() + " without " + f.path(), variant(root, f, true)));
                cases.add(new Case(root.get("type").asText() + " with null " + f.path(), variant(root, f, false)));
            }
        }
        return cases;
    }

    private static List<String> currentFixtures() {
        return EventTypes.all().stream().map(t -> GoldenFixtures.read(t.name(), t.version())).toList();
    }

    /** The decoded envelope, or the decoding error as text (type, field, message) so outcomes compare by value. */
    private static Object outcome(EventCodec codec, byte[] json) {
        try {
            return codec.decode(json);
        } catch (EventDecodingException e) {
            return e.type() + " | " + e.field() + " | " + e.getMessage();
        }
    }

    private static String error(JsonNode root, String field, String message) {
        return root.get("type").asText() + " | " + field + " | " + message;
    }

    private static byte[] variant(JsonNode root, Field f, boolean remove) throws IOException {
        JsonNode copy = root.deepCopy();
        JsonNode parent = copy;
        for (Object step : f.parentSteps()) {
            parent = step instanceof Integer i ? parent.get(i) : parent.get((String) step);
        }
        if (remove) {
            ((ObjectNode) parent).remove(f.name());
        } else {
            ((ObjectNode) parent).putNull(f.name());
        }
        return JSON.writeValueAsBytes(copy);
    }

    /** The fields of the payload's record components present in the fixture, through nested records and lists of them. */
    private static List<Field> fields(JsonNode root) {
        Class<?> payload = EventTypes.forName(root.get("type").asText()).orElseThrow().payloadClass();
        List<Field> out = new ArrayList<>();
        collect(payload, root.get("payload"), List.of("payload"), "payload", out);
        return out;
    }

    private static void collect(Class<?> record, JsonNode node, List<Object> steps, String path, List<Field> out) {
        for (RecordComponent rc : record.getRecordComponents()) {
            JsonNode value = node.get(rc.getName());
            if (value == null) {
                continue;
            }
            String p = path + "." + rc.getName();
            out.add(new Field(steps, rc.getName(), p, rc.isAnnotationPresent(Nullable.class)));
            List<Object> down = append(steps, rc.getName());
            if (rc.getType().isRecord() && value.isObject()) {
                collect(rc.getType(), value, down, p, out);
            } else if (value instanceof ArrayNode array && rc.getGenericType() instanceof ParameterizedType list
                    && list.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
                for (int i = 0; i < array.size(); i++) {
                    collect(element, array.get(i), append(down, i), p + "[" + i + "]", out);
                }
            }
        }
    }

    private static List<Object> append(List<Object> steps, Object step) {
        List<Object> longer = new ArrayList<>(steps);
        longer.add(step);
        return List.copyOf(longer);
    }
}
