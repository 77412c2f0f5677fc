package dev.seedloop.deployment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * What {@code kubectl kustomize} makes of a kustomization directory: the objects an operator would apply, parsed.
 * kubectl must be installed ({@code .ci/run} installs it): without it the render fails, it is never skipped.
 */
final class KustomizeRender {

    private static final long TIMEOUT_SECONDS = 60;

    private KustomizeRender() {
    }

    /** The checkout's root, found from the module directory the tests run in. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/kubernetes/base")) && Files.isRegularFile(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no checkout with deploy/kubernetes above " + Path.of("").toAbsolutePath());
    }

    /** Renders {@code directory} (a base or an overlay) and parses every document it prints. */
    static KustomizeManifests render(Path directory) {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", directory.toString()).start();
        } catch (IOException e) {
            throw new AssertionError("kubectl is needed to render " + directory + " (.ci/run installs it): " + e.getMessage(),
                    e);
        }
        try {
            process.getOutputStream().close();
            // kustomize prints little on stderr; reading stdout to its end first cannot dead-lock on a full pipe of it.
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + directory + " took over " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + directory + " failed (" + process.exitValue() + "): " + err);
            }
            return parse(out);
        } catch (IOException e) {
            throw new AssertionError("reading kubectl kustomize " + directory + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted rendering " + directory, e);
        }
    }

    /** Every non-empty document of a multi-document YAML stream. */
    static KustomizeManifests parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(options).loadAll(yaml)) {
            if (document instanceof Map<?, ?> map && !map.isEmpty()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> object = new LinkedHashMap<>((Map<String, Object>) map);
                documents.add(object);
            }
        }
        return new KustomizeManifests(documents);
    }

    /** A file parsed as YAML (JSON included): the realm file. */
    static Object parseFile(Path file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(64 * 1024 * 1024);
        return new Yaml(options).load(Files.readString(file));
    }
}
