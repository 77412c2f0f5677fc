package dev.seedloop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;

/**
 * A study spec file as the gateway should receive it. The gateway takes workspaces only as uploaded trees
 * ({@code sha256:...}); a spec kept next to its code names a local directory instead, in {@code workspace} and in
 * {@code validation.heldOutData}. {@link #localDirectories()} finds those (resolved against the spec file's
 * directory), and {@link #withTrees(Map)} puts the uploaded trees' hashes in their place.
 *
 * <p>The gateway hashes the spec text it receives ({@code specSha256}), so the text is kept as the user wrote it:
 * only the value of each replaced field changes (comments, order and layout stay). Should that edit not give the
 * intended document (an unusual YAML construct), the spec is written anew from its parsed form, losing comments.
 * Anything else about the spec is left to the gateway, which reports every problem with its path.
 */
final class SpecFile {

    /** The fields that may name a local directory, as dotted paths. */
    static final String WORKSPACE = "workspace";
    static final String HELD_OUT_DATA = "validation.heldOutData";

    private static final String TREE_PREFIX = "sha256:";
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

    /**
     * A field naming a local directory.
     *
     * @param field {@link #WORKSPACE} or {@link #HELD_OUT_DATA}
     * @param written the value as written in the spec
     * @param directory where it points, absolute
     */
    record LocalDirectory(String field, String written, Path directory) {
    }

    /** Where a field's value is in the text: characters {@code [start, end)}, quotes included. */
    private record Span(String field, int start, int end) {
    }

    private final Path file;
    private final String text;
    private final ObjectNode spec;
    private final List<LocalDirectory> localDirectories;

    private SpecFile(Path file, String text, ObjectNode spec, List<LocalDirectory> localDirectories) {
        this.file = file;
        this.text = text;
        this.spec = spec;
        this.localDirectories = localDirectories;
    }

    /** @throws CliException {@link ExitCode#USAGE} when the file cannot be read */
    static SpecFile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCode.USAGE, "No such spec file: " + file);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "Cannot read the spec file " + file + ": " + e.getMessage(), e);
        }
        JsonNode parsed;
        try {
            parsed = YAML.readTree(text);
        } catch (JsonProcessingException unparsable) {
            return new SpecFile(file, text, null, List.of()); // the gateway says what is wrong and where
        }
        if (!(parsed instanceof ObjectNode object)) {
            return new SpecFile(file, text, null, List.of());
        }
        List<LocalDirectory> local = new ArrayList<>();
        for (String field : List.of(WORKSPACE, HELD_OUT_DATA)) {
            JsonNode value = at(object, field);
            if (value != null && value.isTextual() && isLocalPath(value.asText())) {
                local.add(new LocalDirectory(field, value.asText(), resolve(file, field, value.asText())));
            }
        }
        return new SpecFile(file, text, object, List.copyOf(local));
    }

    /** The spec's fields that name a local directory to upload, in the order workspace, held-out data. */
    List<LocalDirectory> localDirectories() {
        return localDirectories;
    }

    /** The text as written. */
    String text() {
        return text;
    }

    /**
     * The text with each field of {@code trees} (a field of {@link #localDirectories()} to its tree hash) replaced.
     */
    String withTrees(Map<String, String> trees) {
        if (trees.isEmpty()) {
            return text;
        }
        ObjectNode expected = spec.deepCopy();
        trees.forEach((field, tree) -> set(expected, field, tree));
        String edited = edit(trees);
        if (edited != null && parsesTo(edited, expected)) {
            return edited;
        }
        try {
            return YAML.writeValueAsString(expected);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the spec " + file + " back as YAML", e);
        }
    }

    /** The text with the replaced values only, or null when a value's place in the text cannot be told. */
    private String edit(Map<String, String> trees) {
        List<Span> spans = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            for (JsonToken token; (token = parser.nextToken()) != null; ) {
                if (token.isScalarValue()) {
                    String field = dottedName(parser.getParsingContext());
                    if (field != null && trees.containsKey(field)) {
                        long start = parser.currentTokenLocation().getCharOffset();
                        long end = parser.currentLocation().getCharOffset();
                        if (start < 0 || end <= start || end > text.codePointCount(0, text.length())) {
                            return null;
                        }
                        // The YAML parser counts code points; a Java string counts UTF-16 units.
                        spans.add(new Span(field, text.offsetByCodePoints(0, (int) start),
                                text.offsetByCodePoints(0, (int) end)));
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        if (spans.size() != trees.size()) {
            return null;
        }
        StringBuilder edited = new StringBuilder(text);
        spans.stream().sorted((a, b) -> Integer.compare(b.start(), a.start()))
                .forEach(span -> edited.replace(span.start(), span.end(), "\"" + trees.get(span.field()) + "\""));
        return edited.toString();
    }

    /** {@code workspace} or {@code validation.heldOutData} for a value at those places, else null. */
    private static String dottedName(JsonStreamContext context) {
        if (context == null || !context.inObject() || context.getCurrentName() == null) {
            return null;
        }
        JsonStreamContext parent = context.getParent();
        if (parent != null && parent.inRoot()) {
            return context.getCurrentName();
        }
        if (parent != null && parent.inObject() && parent.getParent() != null && parent.getParent().inRoot()) {
            return parent.getCurrentName() + "." + context.getCurrentName();
        }
        return null;
    }

    private static boolean parsesTo(String edited, JsonNode expected) {
        try {
            return expected.equals(YAML.readTree(edited));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static JsonNode at(ObjectNode spec, String field) {
        JsonNode node = spec;
        for (String name : field.split("\\.")) {
            node = node.get(name);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    private static void set(ObjectNode spec, String field, String value) {
        String[] names = field.split("\\.");
        ObjectNode node = spec;
        for (int i = 0; i < names.length - 1; i++) {
            node = (ObjectNode) node.get(names[i]);
        }
        node.put(names[names.length - 1], value);
    }

    /** Anything but a tree hash (and an empty value, which the gateway reports) names a directory. */
    private static boolean isLocalPath(String value) {
        return !value.isBlank() && !value.startsWith(TREE_PREFIX);
    }

    /** The absolute directory: {@code ~} is the user's home, a relative path is below the spec file's directory. */
    private static Path resolve(Path specFile, String field, String value) {
        try {
            if (value.equals("~") || value.startsWith("~/")) {
                return Path.of(System.getProperty("user.home")).resolve(value.substring(1).replaceFirst("^/", ""))
                        .normalize();
            }
            return specFile.toAbsolutePath().getParent().resolve(value).normalize();
        } catch (InvalidPathException e) {
            throw new CliException(ExitCode.USAGE, "The spec's " + field + " is neither a tree hash (sha256:...) nor "
                    + "a directory: " + e.getMessage(), e);
        }
    }
}
