package dev.seedloop.deployment;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A compose file as Debian's {@code docker-compose} (v1) reads it: {@code docker-compose config} with the {@code .env}
 * beside the file and nothing from the caller's environment, so what is checked is exactly what the committed files
 * say. {@link #services()} and {@link #volumes()} are the interpolated, normalised output.
 *
 * @param services the services by name, as {@code config} prints them
 * @param volumes  the top-level named volumes
 * @param warnings what {@code docker-compose} printed on stderr (an unset variable is only a warning to it)
 */
record ComposeConfig(Map<String, Map<String, Object>> services, Map<String, Object> volumes, List<String> warnings) {

    /** Runs {@code docker-compose config} on {@code dir/docker-compose.yml}; fails when the tool is missing or refuses. */
    static ComposeConfig read(Path dir) throws IOException, InterruptedException {
        Path executable = findOnPath("docker-compose");
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "--ansi", "never", "-f",
                dir.resolve("docker-compose.yml").toString(), "--project-directory", dir.toString(), "config")
                .directory(dir.toFile());
        // Only .env may supply variables: a CI job's POSTGRES_DB must not make a broken .env pass.
        Map<String, String> environment = builder.environment();
        String path = environment.get("PATH");
        environment.clear();
        environment.put("PATH", path);
        environment.put("HOME", dir.toString());
        Path stderr = Files.createTempFile("compose-config-", ".err");
        try {
            Process process = builder.redirectError(stderr.toFile()).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("docker-compose config did not finish within 60 s on " + dir);
            }
            String errors = Files.readString(stderr);
            if (process.exitValue() != 0) {
                throw new AssertionError("docker-compose config refused " + dir + " (exit " + process.exitValue() + "):\n"
                        + errors);
            }
            Map<String, Object> document = new Yaml().load(new String(out, StandardCharsets.UTF_8));
            List<String> warnings = errors.lines().filter(line -> !line.isBlank()).toList();
            return new ComposeConfig(castMapOfMaps(document.get("services")), castMap(document.get("volumes")),
                    warnings);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private static Path findOnPath(String tool) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(tool + " is not on the PATH: install Debian's docker-compose (apt-get install"
                + " docker-compose; .ci/run does) to check docker-compose.yml");
    }

    /** A service's environment, names to values (an empty map when it sets none). */
    Map<String, String> environment(String service) {
        Map<String, String> environment = new LinkedHashMap<>();
        castMap(service(service).get("environment")).forEach((name, value) ->
                environment.put(name, value == null ? "" : value.toString()));
        return environment;
    }

    /** A service's {@code depends_on}: the services it waits for and the condition of each. */
    Map<String, String> dependsOn(String service) {
        Map<String, String> conditions = new LinkedHashMap<>();
        Object dependsOn = service(service).get("depends_on");
        if (dependsOn instanceof List<?> list) {
            list.forEach(name -> conditions.put(name.toString(), "service_started"));
        } else {
            castMapOfMaps(dependsOn).forEach((name, spec) ->
                    conditions.put(name, String.valueOf(spec.getOrDefault("condition", "service_started"))));
        }
        return conditions;
    }

    /** A service's mounts, as {@code config} normalises them ({@code source:target[:mode]}). */
    List<String> mounts(String service) {
        List<String> mounts = new ArrayList<>();
        Object volumes = service(service).get("volumes");
        if (volumes instanceof List<?> list) {
            list.forEach(mount -> mounts.add(mount.toString()));
        }
        return mounts;
    }

    /**
     * A service's published ports as {@code [address:]published:target}: {@code config} prints them so, or in the long
     * syntax ({@code {published, target}}) when the short form had no address.
     */
    List<String> ports(String service) {
        List<String> ports = new ArrayList<>();
        Object published = service(service).get("ports");
        if (published instanceof List<?> list) {
            for (Object port : list) {
                if (port instanceof Map<?, ?> spec) {
                    ports.add(spec.get("published") + ":" + spec.get("target"));
                } else {
                    ports.add(port.toString().replaceAll("/\\w+$", ""));
                }
            }
        }
        return ports;
    }

    /** The health check's command as one string ({@code CMD}/{@code CMD-SHELL} and arguments joined), or null. */
    String healthCheck(String service) {
        Map<String, Object> healthcheck = castMap(service(service).get("healthcheck"));
        if (healthcheck.isEmpty() || Boolean.TRUE.equals(healthcheck.get("disable"))) {
            return null;
        }
        Object test = healthcheck.get("test");
        String command = test instanceof List<?> list ? String.join(" ", list.stream().map(Object::toString).toList())
                : String.valueOf(test);
        return command.startsWith("NONE") ? null : command;
    }

    /** A service's definition; empty when the file has no such service (the checks then say what it lacks). */
    private Map<String, Object> service(String name) {
        return services.getOrDefault(name, Map.of());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> castMap(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> castMapOfMaps(Object value) {
        return value == null ? Map.of() : (Map<String, Map<String, Object>>) value;
    }
}
