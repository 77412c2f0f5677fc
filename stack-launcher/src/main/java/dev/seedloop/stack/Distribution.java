package dev.seedloop.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Seedloop's distribution: the one directory the build assembles (module {@code distribution}) with everything
 * {@code ./seedloop} runs, and its manifest {@value #MANIFEST} naming what is where, relative to the directory. The
 * launcher finds the services through it, never through the modules' build directories or their versions.
 *
 * @param directory the distribution's directory
 * @param entries   the manifest: keys such as {@code service.gateway.jar}, values paths relative to {@code directory}
 */
public record Distribution(Path directory, Map<String, String> entries) {

    public static final String MANIFEST = "layout.properties";
    /** What {@code ./seedloop} runs to build the distribution: package, never install. */
    static final String BUILD = "./mvnw -B package -DskipTests -pl distribution -am";

    public Distribution {
        directory = directory.toAbsolutePath().normalize();
        entries = Map.copyOf(entries);
    }

    /** Reads the manifest of the distribution in {@code directory}; fails, saying how to build it, when it has none. */
    public static Distribution read(Path directory) {
        Path manifest = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalStateException("No Seedloop distribution in " + directory + " (" + MANIFEST
                    + " is missing): build it with ./seedloop up, or " + BUILD);
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest, e);
        }
        Map<String, String> entries = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> entries.put(key, properties.getProperty(key).trim()));
        return new Distribution(directory, entries);
    }

    /** The packaged service {@code name} (its {@code quarkus-run.jar}); fails when the manifest or the build lacks it. */
    public Path serviceJar(String name) {
        return existing("service." + name + ".jar");
    }

    /** The file or directory the manifest names under {@code key}; fails when it names none or it is not there. */
    public Path existing(String key) {
        String relative = entries.get(key);
        if (relative == null || relative.isEmpty()) {
            throw new IllegalStateException(directory.resolve(MANIFEST) + " names no " + key
                    + ": rebuild the distribution (" + BUILD + ")");
        }
        Path path = directory.resolve(relative).normalize();
        if (!path.startsWith(directory)) {
            throw new IllegalStateException(key + " in " + directory.resolve(MANIFEST) + " points outside the "
                    + "distribution: " + relative);
        }
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " (" + key + " in " + MANIFEST + ") is missing: rebuild the "
                    + "distribution (" + BUILD + ")");
        }
        return path;
    }
}
