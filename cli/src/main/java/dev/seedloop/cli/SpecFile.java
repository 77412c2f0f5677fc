package dev.seedloop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.ExitCode;

/**
 * A study spec file as the gateway should receive it. The gateway needs an absolute {@code workspace}
 * (on the local stack it reads the same filesystem), while a spec kept next to its workspace is
 * naturally written with a relative one: that is resolved against the spec file's directory. Anything
 * else is left to the gateway, which reports every problem of a spec with its path.
 */
final class SpecFile {

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());

    private SpecFile() {
    }

    /** The text to send: the file unchanged, or re-written with its relative workspace made absolute. */
    static String read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CliException(ExitCode.USAGE, "No such spec file: " + file);
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "Cannot read the spec file " + file + ": " + e.getMessage(), e);
        }
        JsonNode spec;
        try {
            spec = YAML.readTree(text);
        } catch (JsonProcessingException unparsable) {
            return text; // the gateway says what is wrong and where
        }
        if (spec instanceof ObjectNode object && object.path("workspace").isTextual()) {
            String workspace = object.path("workspace").asText();
            Path resolved = resolve(file, workspace);
            if (resolved != null) {
                object.put("workspace", resolved.toString());
                try {
                    // Comments are lost; the gateway keeps the parsed spec, not the text, so nothing else is.
                    return YAML.writeValueAsString(object);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("cannot write the spec back as YAML", e);
                }
            }
        }
        return text;
    }

    /** The absolute workspace for a relative one, or null when it is absolute (or empty) already. */
    private static Path resolve(Path specFile, String workspace) {
        if (workspace.isBlank() || Path.of(workspace).isAbsolute()) {
            return null;
        }
        if (workspace.equals("~") || workspace.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(workspace.substring(1).replaceFirst("^/", ""))
                    .normalize();
        }
        return specFile.toAbsolutePath().getParent().resolve(workspace).normalize();
    }
}
