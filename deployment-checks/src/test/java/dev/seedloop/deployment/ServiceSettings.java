package dev.seedloop.deployment;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * What one service reads from its configuration, so that an environment variable a deployment sets can be matched to
 * a property the service really has (MicroProfile Config's environment rule: every character other than a letter or a
 * digit becomes {@code _}, the rest upper case; {@code QUARKUS_DATASOURCE_JDBC_URL} is {@code
 * quarkus.datasource.jdbc.url}). Three sources:
 * <ul>
 * <li>the keys of its {@code application.properties} (with and without their {@code %profile.}), and the properties
 * their values refer to ({@code ${quarkus.flyway.username:…}});</li>
 * <li>our {@code @ConfigMapping} interfaces in its module and the Seedloop modules it depends on, expanded from their
 * sources (member names in kebab case, {@code @WithName}, nested groups, {@code Map} keys as any segment);</li>
 * <li>the configuration model every Quarkus extension on its runtime class path ships
 * ({@code META-INF/quarkus-config-doc/quarkus-config-model.json} in the jars of {@code target/quarkus-app/lib/main}),
 * with each property's phase: one fixed at build time cannot be changed by a container's environment.</li>
 * </ul>
 */
final class ServiceSettings {

    private static final Pattern MAPPING_PREFIX = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)");
    private static final Pattern MEMBER = Pattern.compile("^\\s*([\\w.]+(?:<[\\w<>, ?.]+>)?)\\s+(\\w+)\\(\\);");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\"([^\"]+)\"\\)");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^:}]+)");

    /** Configuration models by jar file name (versioned): the five services share most of their extensions. */
    private static final Map<String, Map<String, String>> MODELS = new java.util.concurrent.ConcurrentHashMap<>();

    private final String module;
    private final Properties properties;
    /** Environment names (or patterns, for map keys) to the property they stand for. */
    private static final Pattern NAMED_TENANT = Pattern.compile("quarkus\\.oidc\\.([a-z0-9-]+)\\.tenant-paths");
    private final Map<Pattern, String> ours = new LinkedHashMap<>();
    /** Quarkus extensions' environment names to their phase (RUN_TIME, BUILD_TIME, BUILD_AND_RUN_TIME_FIXED). */
    private final Map<String, String> extensions = new HashMap<>();

    private ServiceSettings(String module, Properties properties) {
        this.module = module;
        this.properties = properties;
    }

    /** Reads the module's settings; the module must have been packaged (its {@code target/quarkus-app}). */
    static ServiceSettings of(Path root, String module) throws IOException {
        Path moduleDir = root.resolve(module);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(moduleDir.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        ServiceSettings settings = new ServiceSettings(module, properties);
        for (String key : properties.stringPropertyNames()) {
            settings.addOurs(key.replaceFirst("^%[\\w-]+\\.", ""));
            Matcher reference = REFERENCE.matcher(properties.getProperty(key));
            while (reference.find()) {
                settings.addOurs(reference.group(1));
            }
        }
        for (Path sources : settings.sourceRoots(root, moduleDir)) {
            settings.addMappings(sources);
        }
        settings.addExtensionModels(moduleDir.resolve("target/quarkus-app/lib/main"));
        return settings;
    }

    /** The property this environment variable sets, or empty when the service reads none by that name. */
    Optional<String> propertyOf(String environmentVariable) {
        for (var entry : ours.entrySet()) {
            if (entry.getKey().matcher(environmentVariable).matches()) {
                return Optional.of(entry.getValue());
            }
        }
        return extensions.containsKey(extensionName(environmentVariable))
                ? Optional.of(environmentVariable.toLowerCase(Locale.ROOT) + " (Quarkus)") : Optional.empty();
    }

    /** Whether this environment variable names a Quarkus property fixed when the image was built. */
    boolean fixedAtBuildTime(String environmentVariable) {
        String phase = extensions.get(extensionName(environmentVariable));
        return phase != null && !phase.equals("RUN_TIME");
    }

    /**
     * A named OIDC tenant's variable ({@code QUARKUS_OIDC_DASHBOARD_TOKEN_PATH}) as the extension's model names the
     * same setting of the default tenant ({@code QUARKUS_OIDC_TOKEN_PATH}): the model lists the default tenant only.
     * Only tenants the service's own properties declare ({@code quarkus.oidc.<tenant>.tenant-paths}) count.
     */
    private String extensionName(String environmentVariable) {
        for (String key : properties.stringPropertyNames()) {
            Matcher tenant = NAMED_TENANT.matcher(key);
            if (tenant.matches()) {
                String prefix = "QUARKUS_OIDC_" + tenant.group(1).toUpperCase(Locale.ROOT).replace('-', '_') + "_";
                if (environmentVariable.startsWith(prefix)) {
                    return "QUARKUS_OIDC_" + environmentVariable.substring(prefix.length());
                }
            }
        }
        return environmentVariable;
    }

    /** A property's value: the environment's (by MicroProfile's rule) over {@code application.properties}. */
    Optional<String> value(String property, Map<String, String> environment) {
        String fromEnvironment = environment.get(environmentName(property));
        return Optional.ofNullable(fromEnvironment != null ? fromEnvironment : properties.getProperty(property));
    }

    /** The port {@code /q/health/*} is served on: the management interface's when it is on, else the HTTP port. */
    int healthPort(Map<String, String> environment) {
        boolean management = Boolean.parseBoolean(value("quarkus.management.enabled", environment).orElse("false"));
        return management ? Integer.parseInt(value("quarkus.management.port", environment).orElse("9000"))
                : httpPort(environment);
    }

    /** {@code quarkus.http.port} as the container sees it. */
    int httpPort(Map<String, String> environment) {
        return Integer.parseInt(value("quarkus.http.port", environment).orElse("8080"));
    }

    String module() {
        return module;
    }

    /** MicroProfile Config's environment name of a property. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private void addOurs(String property) {
        // A map key (*) is any name: its environment form is any run of upper-case letters, digits and _.
        String pattern = java.util.Arrays.stream(property.split("\\*", -1))
                .map(piece -> Pattern.quote(environmentName(piece)))
                .collect(java.util.stream.Collectors.joining("[A-Z0-9_]+"));
        ours.put(Pattern.compile(pattern), property);
    }

    /** The module's own sources and those of every Seedloop module its pom names. */
    private List<Path> sourceRoots(Path root, Path moduleDir) throws IOException {
        List<Path> roots = new ArrayList<>(List.of(moduleDir.resolve("src/main/java")));
        String pom = Files.readString(moduleDir.resolve("pom.xml"));
        try (Stream<Path> siblings = Files.list(root)) {
            siblings.filter(sibling -> Files.isDirectory(sibling.resolve("src/main/java")))
                    .filter(sibling -> !sibling.equals(moduleDir))
                    .filter(sibling -> pom.contains("<artifactId>" + sibling.getFileName() + "</artifactId>"))
                    .forEach(sibling -> roots.add(sibling.resolve("src/main/java")));
        }
        return roots;
    }

    private void addMappings(Path sources) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(file -> file.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String source = Files.readString(file);
            Matcher prefix = MAPPING_PREFIX.matcher(source);
            if (prefix.find()) {
                Map<String, List<String[]>> interfaces = members(source);
                Matcher root = INTERFACE.matcher(source.substring(prefix.end()));
                if (!root.find()) {
                    throw new IllegalStateException("No interface after @ConfigMapping in " + file);
                }
                expand(prefix.group(1), root.group(1), interfaces, 0);
            }
        }
    }

    /** Each interface of a source file and its members ({name, type}), by brace depth. */
    private static Map<String, List<String[]>> members(String source) {
        Map<String, List<String[]>> interfaces = new HashMap<>();
        List<String> open = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        int depth = 0;
        String pendingName = null;
        String pendingInterface = null;
        for (String line : source.split("\n")) {
            Matcher declared = INTERFACE.matcher(line);
            if (declared.find() && !line.trim().startsWith("*") && !line.trim().startsWith("/")) {
                pendingInterface = declared.group(1);
            }
            Matcher withName = WITH_NAME.matcher(line);
            if (withName.find()) {
                pendingName = withName.group(1);
            }
            Matcher member = MEMBER.matcher(line);
            if (member.find() && !open.isEmpty()) {
                String name = pendingName != null ? pendingName : kebab(member.group(2));
                interfaces.computeIfAbsent(open.getLast(), key -> new ArrayList<>())
                        .add(new String[] {name, member.group(1)});
                pendingName = null;
            }
            for (char c : line.toCharArray()) {
                if (c == '{') {
                    depth++;
                    if (pendingInterface != null) {
                        open.add(pendingInterface);
                        depths.add(depth);
                        pendingInterface = null;
                    }
                } else if (c == '}') {
                    if (!depths.isEmpty() && depths.getLast() == depth) {
                        open.removeLast();
                        depths.removeLast();
                    }
                    depth--;
                }
            }
        }
        return interfaces;
    }

    private void expand(String prefix, String type, Map<String, List<String[]>> interfaces, int level) {
        if (level > 8) {
            throw new IllegalStateException("Config mapping nested too deep at " + prefix);
        }
        for (String[] member : interfaces.getOrDefault(type, List.of())) {
            String path = prefix + "." + member[0];
            String memberType = member[1].replaceAll("^Optional<(.*)>$", "$1");
            Matcher map = Pattern.compile("^Map<String,\\s*(\\w+)>$").matcher(memberType);
            if (map.matches()) {
                path = path + ".*";
                memberType = map.group(1);
            }
            if (interfaces.containsKey(memberType)) {
                expand(path, memberType, interfaces, level + 1);
            } else {
                addOurs(path);
            }
        }
    }

    /** SmallRye's member name to property name: {@code maxConcurrentStudies} is {@code max-concurrent-studies}. */
    private static String kebab(String member) {
        return member.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z])([A-Z][a-z])", "$1-$2")
                .toLowerCase(Locale.ROOT);
    }

    private void addExtensionModels(Path libraries) throws IOException {
        if (!Files.isDirectory(libraries)) {
            throw new AssertionError(libraries + " is missing: package " + module + " first (./mvnw package -pl "
                    + module + " -am), its runtime jars say which Quarkus properties it reads");
        }
        List<Path> jars;
        try (Stream<Path> list = Files.list(libraries)) {
            jars = list.filter(jar -> jar.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            extensions.putAll(MODELS.computeIfAbsent(jar.getFileName().toString(), name -> model(jar)));
        }
        if (extensions.isEmpty()) {
            throw new AssertionError("No Quarkus configuration model in " + libraries);
        }
    }

    /** One jar's configuration model: environment names to phases (empty when the jar has none). */
    private static Map<String, String> model(Path jar) {
        Map<String, String> phases = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            var entry = zip.getEntry("META-INF/quarkus-config-doc/quarkus-config-model.json");
            if (entry != null) {
                try (InputStream in = zip.getInputStream(entry)) {
                    LoaderOptions options = new LoaderOptions();
                    options.setCodePointLimit(64 * 1024 * 1024);
                    // JSON is YAML: SnakeYAML is already here for the compose output.
                    Map<String, Object> model = new Yaml(options).load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    collect(model.get("configRoots"), phases);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + jar, e);
        }
        return phases;
    }

    private static void collect(Object node, Map<String, String> phases) {
        if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, phases));
        } else if (node instanceof Map<?, ?> map) {
            if (map.get("path") instanceof Map<?, ?> path && path.get("environmentVariable") != null) {
                phases.put(path.get("environmentVariable").toString(), String.valueOf(map.get("phase")));
            }
            collect(map.get("items"), phases);
        }
    }

    /** Every environment name this service's own settings stand for (for messages). */
    Map<String, String> ownNames() {
        Map<String, String> names = new TreeMap<>();
        ours.forEach((pattern, property) -> names.put(property, pattern.pattern()));
        return names;
    }
}
