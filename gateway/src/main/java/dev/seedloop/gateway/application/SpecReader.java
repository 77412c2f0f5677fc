package dev.seedloop.gateway.application;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.seedloop.gateway.domain.SpecTooLarge;
import dev.seedloop.gateway.domain.SpecViolations;
import dev.seedloop.gateway.domain.StudySpecDraft;
import dev.seedloop.gateway.domain.StudySpecValidator;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

/**
 * Reads a study spec in YAML or JSON (JSON is YAML, so one parser serves both) and checks it against
 * the JSON Schema that ships with the gateway ({@code schema/study-spec.schema.json}), turning every
 * schema error into a path a person can read ({@code budget.parallelism}).
 */
@ApplicationScoped
public class SpecReader {

    static final String SCHEMA_RESOURCE = "schema/study-spec.schema.json";

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final Validator validator;
    /** The schema itself, to name a bound in words where the validator's message leaves it out. */
    private final JsonObject schemaJson;

    @Inject
    ObjectMapper json;

    public SpecReader() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the gateway");
            }
            schemaJson = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            JsonSchema schema = JsonSchema.of(schemaJson);
            validator = Validator.create(schema, new JsonSchemaOptions()
                    .setDraft(Draft.DRAFT202012)
                    .setBaseUri("https://seedloop.dev/schemas/")
                    .setOutputFormat(OutputFormat.Basic));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @throws SpecTooLarge   when the spec is over {@link SpecTooLarge#MAX_SPEC_BYTES}, as sent or as JSON once
     *                        parsed (a YAML escape such as {@code \x01} takes more bytes in JSON), before anything
     *                        else is checked
     * @throws SpecViolations when the text is not YAML/JSON or breaks the schema, listing every problem
     */
    public StudySpecDraft read(String text) {
        int sent = text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
        if (sent > SpecTooLarge.MAX_SPEC_BYTES) {
            throw new SpecTooLarge("the spec is " + sent + " bytes; at most " + SpecTooLarge.MAX_SPEC_BYTES
                    + " are accepted, so that the study's first event stays well within the event size limit");
        }
        JsonNode tree;
        try {
            tree = yaml.readTree(text == null ? "" : text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new SpecViolations(List.of(new SpecViolations.Violation("$",
                    "is not valid YAML or JSON" + where + ": " + e.getOriginalMessage())));
        }
        if (tree == null || !tree.isObject()) {
            throw new SpecViolations(List.of(new SpecViolations.Violation("$", "must be a YAML or JSON object")));
        }
        String asJson;
        try {
            asJson = json.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed spec could not be written as JSON", e);
        }
        int expanded = asJson.getBytes(StandardCharsets.UTF_8).length;
        if (expanded > SpecTooLarge.MAX_SPEC_BYTES) {
            throw new SpecTooLarge("the spec is " + expanded + " bytes as JSON (as the study's event will carry it);"
                    + " at most " + SpecTooLarge.MAX_SPEC_BYTES + " are accepted, so that the study's first event"
                    + " stays well within the event size limit");
        }
        OutputUnit result = validator.validate(new JsonObject(asJson));
        if (!Boolean.TRUE.equals(result.getValid())) {
            List<SpecViolations.Violation> problems = new ArrayList<>(schemaProblems(result.getErrors()));
            if (problems.isEmpty()) {
                problems.add(new SpecViolations.Violation("$", "does not match the study spec schema"));
            }
            // Also report the cross-field problems where the tree still binds, so a client sees all of them
            // in one answer rather than one layer per attempt.
            try {
                StudySpecDraft partial = json.treeToValue(tree, StudySpecDraft.class);
                for (SpecViolations.Violation more : StudySpecValidator.validate(partial)) {
                    if (problems.stream().noneMatch(p -> p.path().equals(more.path()))) {
                        problems.add(more);
                    }
                }
            } catch (JsonProcessingException | RuntimeException typesTooWrongToBind) {
                // the schema errors already say what is wrong
            }
            throw new SpecViolations(problems);
        }
        try {
            return json.treeToValue(tree, StudySpecDraft.class);
        } catch (JsonProcessingException e) {
            throw new SpecViolations(List.of(new SpecViolations.Violation("$", e.getOriginalMessage())));
        }
    }

    /**
     * The validator reports a failing property three ways (its own keyword, its parent's
     * {@code properties} and, spuriously, {@code additionalProperties}); keep the most specific error per
     * path, and report a path whose only error is {@code additionalProperties} as an unknown field.
     */
    List<SpecViolations.Violation> schemaProblems(List<OutputUnit> errors) {
        Map<String, List<OutputUnit>> byPath = new LinkedHashMap<>();
        for (OutputUnit error : errors == null ? List.<OutputUnit>of() : errors) {
            if (keywordPath(error).contains("/propertyNames/")) {
                // The same problem again, at a path made of the offending name: its parent reports it once.
                continue;
            }
            byPath.computeIfAbsent(readablePath(error.getInstanceLocation()), p -> new ArrayList<>()).add(error);
        }
        List<SpecViolations.Violation> problems = new ArrayList<>();
        byPath.forEach((path, units) -> {
            boolean hasDeeperPath = byPath.keySet().stream()
                    .anyMatch(other -> !other.equals(path) && (path.equals("$") || other.startsWith(path + ".")
                            || other.startsWith(path + "[")));
            List<OutputUnit> specific = units.stream().filter(u -> !isStructural(u)).toList();
            if (!specific.isEmpty()) {
                specific.forEach(u -> problems.add(new SpecViolations.Violation(path, humane(u))));
            } else if (!hasDeeperPath && units.stream().anyMatch(u -> keyword(u).equals("additionalProperties"))) {
                problems.add(new SpecViolations.Violation(path, "is not a known field"));
            }
        });
        return problems.stream().distinct().toList();
    }

    private static boolean isStructural(OutputUnit unit) {
        String keyword = keyword(unit);
        return keyword.equals("properties") || keyword.equals("additionalProperties") || keyword.equals("items")
                || keyword.equals("$ref");
    }

    private static String keyword(OutputUnit unit) {
        String location = unit.getKeywordLocation() == null ? "" : unit.getKeywordLocation();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Where in the schema the failing keyword is ({@code /properties/strategy/maxLength}), references resolved. */
    private static String keywordPath(OutputUnit unit) {
        String absolute = unit.getAbsoluteKeywordLocation();
        return absolute == null || absolute.indexOf('#') < 0 ? "" : absolute.substring(absolute.indexOf('#') + 1);
    }

    private static final Pattern LESS_THAN = Pattern.compile("^(\\S+) is less than (\\S+)$");
    private static final Pattern GREATER_THAN = Pattern.compile("^(\\S+) is greater than (\\S+)$");
    private static final Pattern TOO_LONG = Pattern.compile("^String is too long \\((\\d+) > (\\d+)\\)$");
    private static final Pattern TOO_MANY = Pattern.compile("^Array has too many items \\(\\D*(\\d+) > (\\d+)\\)$");
    private static final Pattern NAME = Pattern.compile("^Property name \"(.*)\" does not match schema$",
            Pattern.DOTALL);

    /** The validator's messages in the same words as the rest of our errors, with the bound they broke. */
    private String humane(OutputUnit unit) {
        String message = unit.getError();
        if (message == null) {
            return "is invalid";
        }
        Matcher less = LESS_THAN.matcher(message);
        if (less.matches()) {
            return "must be >= " + less.group(2) + " (was " + less.group(1) + ")";
        }
        Matcher greater = GREATER_THAN.matcher(message);
        if (greater.matches()) {
            return "must be <= " + greater.group(2) + " (was " + greater.group(1) + ")";
        }
        Matcher tooLong = TOO_LONG.matcher(message);
        if (tooLong.matches()) {
            return "must be at most " + tooLong.group(2) + " characters (was " + tooLong.group(1) + ")";
        }
        Matcher tooMany = TOO_MANY.matcher(message);
        if (tooMany.matches()) {
            return "must have at most " + tooMany.group(2) + " items (has " + tooMany.group(1) + ")";
        }
        String keywordPath = keywordPath(unit);
        if (keyword(unit).equals("maxProperties")) {
            // The validator's own message for this keyword states the bound backwards.
            return "must have at most " + bound(keywordPath) + " entries";
        }
        Matcher name = NAME.matcher(message);
        if (name.matches() && keyword(unit).equals("propertyNames")) {
            String offending = name.group(1);
            return "names must be " + bound(keywordPath + "/minLength") + " to " + bound(keywordPath + "/maxLength")
                    + " characters; \"" + (offending.length() > 40 ? offending.substring(0, 40) + "…" : offending)
                    + "\" has " + offending.length();
        }
        return message;
    }

    /** The value the schema gives at a JSON pointer, e.g. a maxLength; "?" where there is none. */
    private String bound(String pointer) {
        Object value = io.vertx.core.json.pointer.JsonPointer.from(pointer).queryJson(schemaJson);
        return value == null ? "?" : value.toString();
    }

    /** {@code /searchSpace/0/high} becomes {@code searchSpace[0].high}; the root is {@code $}. */
    static String readablePath(String pointer) {
        if (pointer == null || pointer.isEmpty() || pointer.equals("#") || pointer.equals("/")) {
            return "$";
        }
        StringBuilder path = new StringBuilder();
        for (String token : pointer.replaceFirst("^#", "").split("/")) {
            if (token.isEmpty()) {
                continue;
            }
            String unescaped = token.replace("~1", "/").replace("~0", "~");
            if (unescaped.chars().allMatch(Character::isDigit)) {
                path.append('[').append(unescaped).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(unescaped);
            }
        }
        return path.toString();
    }
}
