package dev.seedloop.deployment;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the sources say a deployment must provide, read from the checkout rather than copied into the test: each
 * service's ports and settings (its {@code application.properties}), the topics the code uses (channel configuration
 * and references to the constants of {@code dev.seedloop.events.Topics}) and the project's version.
 */
final class KustomizeServiceCode {

    /** The five services, each built into the image {@code seedloop/<module>}. */
    static final List<String> SERVICES = List.of("gateway", "proposer-service", "implementer-service", "evaluator-service",
            "learner-service");

    /** Modules whose code publishes or consumes for the services (shared channels live in service-messaging). */
    private static final List<String> TOPIC_USERS = Stream.concat(SERVICES.stream(), Stream.of("service-messaging")).toList();

    private static final Pattern CHANNEL_TOPIC =
            Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\.(topic|topics|reply\\.topic)");
    private static final Pattern TOPICS_REFERENCE = Pattern.compile("\\bTopics\\.([A-Z][A-Z0-9_]*)\\b");
    private static final Pattern STRING_CONSTANT =
            Pattern.compile("public static final String ([A-Z][A-Z0-9_]*)\\s*=\\s*\"([^\"]+)\"\\s*;");
    private static final Pattern LIST_CONSTANT =
            Pattern.compile("public static final List<String> ([A-Z][A-Z0-9_]*)\\s*=\\s*List\\.of\\(([^)]*)\\)\\s*;");

    private final Path root;

    KustomizeServiceCode(Path root) {
        this.root = root;
    }

    /** A module's {@code src/main/resources/application.properties} (profile entries keep their {@code %} keys). */
    Properties applicationProperties(String module) {
        return load(root.resolve(module).resolve("src/main/resources/application.properties"));
    }

    int httpPort(String module) {
        return Integer.parseInt(required(module, "quarkus.http.port"));
    }

    /** The port health is served on: the management interface's where a module enables it, else the HTTP port. */
    int healthPort(String module) {
        Properties properties = applicationProperties(module);
        return "true".equals(properties.getProperty("quarkus.management.enabled"))
                ? Integer.parseInt(required(module, "quarkus.management.port"))
                : httpPort(module);
    }

    /** The text of a module's application.properties, to see which settings it names at all (placeholders too). */
    String applicationPropertiesText(String module) {
        return read(root.resolve(module).resolve("src/main/resources/application.properties"));
    }

    /**
     * Every topic the services' code uses, with the modules that use it: channel topics of the services' and
     * service-messaging's configuration, and every {@code Topics.X} their main code names, resolved against the
     * constants of the events module's {@code Topics} (a list constant stands for its elements). Constants naming a
     * record header ({@code *_HEADER}) are not topics.
     */
    Map<String, Set<String>> topicsUsed() {
        Map<String, List<String>> constants = topicConstants();
        Map<String, Set<String>> used = new TreeMap<>();
        for (String module : TOPIC_USERS) {
            for (Path file : propertiesFiles(module)) {
                load(file).forEach((key, value) -> {
                    if (CHANNEL_TOPIC.matcher(key.toString()).matches()) {
                        for (String topic : value.toString().split(",")) {
                            if (!topic.isBlank() && !topic.contains("${")) {
                                used.computeIfAbsent(topic.strip(), t -> new TreeSet<>()).add(module);
                            }
                        }
                    }
                });
            }
            for (Path file : javaSources(module)) {
                Matcher reference = TOPICS_REFERENCE.matcher(read(file));
                while (reference.find()) {
                    for (String topic : constants.getOrDefault(reference.group(1), List.of())) {
                        used.computeIfAbsent(topic, t -> new TreeSet<>()).add(module);
                    }
                }
            }
        }
        return used;
    }

    /** The version every module is built with: the parent's, as this module's pom names it. */
    String projectVersion() {
        Matcher parent = Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>", Pattern.DOTALL)
                .matcher(read(root.resolve("deployment-checks/pom.xml")));
        if (!parent.find()) {
            throw new IllegalStateException("no parent version in deployment-checks/pom.xml");
        }
        return parent.group(1).strip();
    }

    /** The topic constants of {@code dev.seedloop.events.Topics}: name to the topic(s) it stands for. */
    private Map<String, List<String>> topicConstants() {
        String source = read(root.resolve("events/src/main/java/dev/seedloop/events/Topics.java"));
        Map<String, List<String>> constants = new LinkedHashMap<>();
        Matcher string = STRING_CONSTANT.matcher(source);
        while (string.find()) {
            if (!string.group(1).endsWith("_HEADER")) {
                constants.put(string.group(1), List.of(string.group(2)));
            }
        }
        Matcher list = LIST_CONSTANT.matcher(source);
        while (list.find()) {
            List<String> topics = new ArrayList<>();
            for (String element : list.group(2).split(",")) {
                topics.addAll(constants.getOrDefault(element.strip(), List.of()));
            }
            constants.put(list.group(1), topics);
        }
        if (constants.isEmpty()) {
            throw new IllegalStateException("no topic constants found in Topics.java: has the class moved?");
        }
        return constants;
    }

    private List<Path> propertiesFiles(String module) {
        return Stream.of("src/main/resources/application.properties",
                        "src/main/resources/META-INF/microprofile-config.properties")
                .map(root.resolve(module)::resolve)
                .filter(Files::isRegularFile)
                .toList();
    }

    private List<Path> javaSources(String module) {
        Path sources = root.resolve(module).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(file -> file.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String required(String module, String key) {
        String value = applicationProperties(module).getProperty(key);
        if (value == null) {
            throw new IllegalStateException(module + " sets no " + key);
        }
        return value;
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
