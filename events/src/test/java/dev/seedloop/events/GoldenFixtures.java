package dev.seedloop.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Access to the golden wire fixtures {@code golden/<type>/v<version>.json}: from the classpath
 * (works from the test-jar in other modules) or from this module's source tree.
 */
public final class GoldenFixtures {

    private GoldenFixtures() {
    }

    /** The fixture's bytes as text, with one trailing newline (if any) removed. */
    public static String read(String type, int version) {
        String resource = "golden/" + type + "/v" + version + ".json";
        try (InputStream in = GoldenFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden fixture on the classpath: " + resource);
            }
            return stripNewline(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String stripNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code events/src/test/resources/golden}, resolved from the module or the repository root. */
    public static Path sourceDirectory() {
        Path cwd = Path.of("").toAbsolutePath();
        for (Path candidate : new Path[] {cwd.resolve("src/test/resources/golden"), cwd.resolve("events/src/test/resources/golden")}) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find src/test/resources/golden from " + cwd);
    }
}
