package dev.seedloop.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

/**
 * Every example spec parses as YAML and conforms to the gateway's study-spec JSON schema (checked by
 * a small validator for the schema keywords that schema uses); its commands run in a copy of its
 * workspace, with the sandbox's PATH and the spec's env, under its address-space limit.
 */
class StudySpecsTest {

    static final Path SCHEMA = Programs.EXAMPLES.resolve("../gateway/src/main/resources/schema/study-spec.schema.json")
            .normalize();

    /** Where the implementer finds prlimit too. */
    static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

    @TempDir
    Path tmp;

    static Stream<Path> specs() throws IOException {
        try (Stream<Path> files = Files.walk(Programs.EXAMPLES)) {
            List<Path> specs = files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !Programs.EXAMPLES.relativize(p).startsWith("target")).sorted().toList();
            assertThat(specs).hasSizeGreaterThanOrEqualTo(4);
            return specs.stream();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path spec) throws IOException {
        Object doc = new Yaml().load(Files.readString(spec));
        assertThat(doc).as(spec + " is a YAML mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) doc;
    }

    @ParameterizedTest
    @MethodSource("specs")
    @SuppressWarnings("unchecked")
    void conformsToTheStudySpecSchema(Path spec) throws IOException {
        Map<String, Object> doc = load(spec);
        assertThat(doc).containsKeys("name", "objective", "searchSpace", "budget", "workspace", "experiment");
        // A relative directory, which the CLI (and the demo, the same way) uploads and replaces by its tree hash.
        assertThat(doc.get("workspace")).isEqualTo("workspace");
        assertThat(spec.getParent().resolve("workspace")).isDirectory();
        doc.put("workspace", "sha256:" + "0".repeat(64));

        Map<String, Object> schema = (Map<String, Object>) new Yaml().load(Files.readString(SCHEMA));
        List<String> problems = new ArrayList<>();
        new SchemaCheck(schema).check(schema, doc, "$", problems);
        assertThat(problems).as(spec.toString()).isEmpty();

        Path workspace = spec.getParent().resolve("workspace");
        for (Object path : (List<Object>) doc.getOrDefault("protectedPaths", List.of())) {
            assertThat(workspace.resolve(path.toString())).as("protected path").isRegularFile();
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    @SuppressWarnings("unchecked")
    void commandsRunUnderTheSpecsMemoryLimit(Path spec) throws IOException {
        // Fails rather than skips: the implementer sets the same limit with the same program.
        assertThat(Files.isExecutable(PRLIMIT)).as("%s (util-linux) is needed to run the commands under the spec's"
                + " memory limit, as the implementer does: apt-get install util-linux", PRLIMIT).isTrue();
        Map<String, Object> doc = load(spec);
        Map<String, Object> experiment = (Map<String, Object>) doc.get("experiment");
        long memoryMiB = ((Number) ((Map<String, Object>) experiment.get("limits")).get("memoryMiB")).longValue();
        Map<String, String> env = new LinkedHashMap<>((Map<String, String>) experiment.getOrDefault("env", Map.of()));
        env.put("SEEDLOOP_SEED", "0");

        // Parameters at the centre of the search space (first choice for categoricals).
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) doc.get("searchSpace")) {
            String name = (String) p.get("name");
            switch ((String) p.get("kind")) {
                case "categorical" -> params.put(name, ((List<?>) p.get("choices")).get(0));
                case "int" -> params.put(name, (long) Math.floor((num(p.get("low")) + num(p.get("high"))) / 2));
                default -> params.put(name, (num(p.get("low")) + num(p.get("high"))) / 2);
            }
        }

        Map<List<String>, String> commands = new LinkedHashMap<>();
        commands.put((List<String>) experiment.get("command"),
                (String) ((Map<String, Object>) doc.get("objective")).get("metric"));
        Map<String, Object> validation = (Map<String, Object>) doc.get("validation");
        if (validation != null) {
            commands.put((List<String>) validation.get("command"), null);
            Map<String, Object> heldOut = (Map<String, Object>) validation.get("heldOut");
            commands.put((List<String>) heldOut.get("command"), (String) heldOut.get("metric"));
        }
        for (var command : commands.entrySet()) {
            Path ws = Programs.copyWorkspace(spec.getParent().resolve("workspace").toString(), tmp);
            Programs.writeParams(ws, params);
            List<String> argv = new ArrayList<>(List.of(PRLIMIT.toString(), "--as=" + memoryMiB * 1024 * 1024, "--"));
            argv.addAll(command.getKey());
            Programs.Result r = Programs.run(ws, env, argv, true);
            assertThat(r.exitCode()).as(command.getKey() + "\n" + r.stdout() + r.stderr()).isZero();
            if (command.getValue() != null) {
                assertThat(r.metrics()).containsKey(command.getValue());
            }
        }
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    /** The JSON-schema keywords the study-spec schema uses. */
    record SchemaCheck(Map<String, Object> root) {

        @SuppressWarnings("unchecked")
        void check(Map<String, Object> schema, Object value, String at, List<String> problems) {
            if (schema.containsKey("$ref")) {
                String ref = (String) schema.get("$ref");
                Object target = root;
                for (String part : ref.substring(2).split("/")) {
                    target = ((Map<String, Object>) target).get(part);
                }
                check((Map<String, Object>) target, value, at, problems);
                return;
            }
            if (schema.containsKey("enum") && !((List<?>) schema.get("enum")).contains(value)) {
                problems.add(at + ": " + value + " not in " + schema.get("enum"));
            }
            String type = (String) schema.get("type");
            if (type == null) {
                return;
            }
            switch (type) {
                case "object" -> {
                    if (!(value instanceof Map<?, ?> map)) {
                        problems.add(at + ": expected an object but was " + value);
                        return;
                    }
                    for (Object key : (List<?>) schema.getOrDefault("required", List.of())) {
                        if (!map.containsKey(key)) {
                            problems.add(at + ": missing required " + key);
                        }
                    }
                    Map<String, Object> props = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
                    Object additional = schema.get("additionalProperties");
                    map.forEach((k, v) -> {
                        if (props.containsKey(k)) {
                            check((Map<String, Object>) props.get(k), v, at + "." + k, problems);
                        } else if (Boolean.FALSE.equals(additional)) {
                            problems.add(at + ": unknown key " + k);
                        } else if (additional instanceof Map<?, ?> s) {
                            check((Map<String, Object>) s, v, at + "." + k, problems);
                        }
                    });
                }
                case "array" -> {
                    if (!(value instanceof List<?> list)) {
                        problems.add(at + ": expected an array but was " + value);
                        return;
                    }
                    if (schema.get("minItems") instanceof Number n && list.size() < n.intValue()) {
                        problems.add(at + ": fewer than " + n + " items");
                    }
                    if (schema.get("items") instanceof Map<?, ?> items) {
                        for (int i = 0; i < list.size(); i++) {
                            check((Map<String, Object>) items, list.get(i), at + "[" + i + "]", problems);
                        }
                    }
                }
                case "string" -> {
                    if (!(value instanceof String s)) {
                        problems.add(at + ": expected a string but was " + value);
                    } else if (schema.get("minLength") instanceof Number n && s.length() < n.intValue()) {
                        problems.add(at + ": shorter than " + n);
                    }
                }
                case "integer", "number" -> {
                    boolean ok = type.equals("integer")
                            ? value instanceof Integer || value instanceof Long
                            : value instanceof Number;
                    if (!ok) {
                        problems.add(at + ": expected " + type + " but was " + value);
                        return;
                    }
                    double d = ((Number) value).doubleValue();
                    if (schema.get("minimum") instanceof Number min && d < min.doubleValue()) {
                        problems.add(at + ": below " + min);
                    }
                    if (schema.get("maximum") instanceof Number max && d > max.doubleValue()) {
                        problems.add(at + ": above " + max);
                    }
                }
                case "boolean" -> {
                    if (!(value instanceof Boolean)) {
                        problems.add(at + ": expected a boolean but was " + value);
                    }
                }
                default -> problems.add(at + ": schema type " + type + " not supported by this check");
            }
        }
    }
}
