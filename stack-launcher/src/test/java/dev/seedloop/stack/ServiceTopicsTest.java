package dev.seedloop.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.TopicCatalogue;

/**
 * Every Kafka topic a service's configuration names is in the topic catalogue: the brokers of the local stack and
 * the tests create the catalogue's topics and no other (ADR 0013), so a channel on any other topic would fail on
 * them, and in production would get whatever the cluster's defaults are.
 */
class ServiceTopicsTest {

    private static final Pattern CHANNEL_KEY = Pattern.compile(
            "mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(.+)");

    @Test
    void everyTopicInTheServicesConfigurationIsInTheCatalogue() throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        configurations().forEach((source, properties) -> problems.addAll(check(source, properties, seen)));
        assertThat(seen).as("no topic found: is the scan still reading the services' configuration?")
                .contains("seedloop.studies", "seedloop.queries-replies");
        assertThat(problems).isEmpty();
    }

    @Test
    void aChannelOutsideTheCatalogueIsFound() {
        Properties properties = new Properties();
        properties.setProperty("mp.messaging.incoming.audit.connector", "smallrye-kafka");
        properties.setProperty("mp.messaging.incoming.studies-in.connector", "smallrye-kafka");
        properties.setProperty("mp.messaging.incoming.studies-in.topic", "seedloop.studies");
        properties.setProperty("mp.messaging.incoming.studies-in.failure-strategy", "dead-letter-queue");
        properties.setProperty("mp.messaging.outgoing.q.connector", "smallrye-kafka");
        properties.setProperty("mp.messaging.outgoing.q.topic", "seedloop.queries");
        properties.setProperty("mp.messaging.outgoing.q.reply.topic", "seedloop.answers");

        List<String> problems = check("sample", properties, new TreeSet<>());

        assertThat(problems).anyMatch(p -> p.contains("audit") && p.contains("'audit'"))
                .anyMatch(p -> p.contains("studies-in") && p.contains("dead-letter-topic-studies-in"))
                .anyMatch(p -> p.contains("seedloop.answers"))
                .hasSize(3);
    }

    /** The topics of every Kafka channel: named, listed, reply and dead-letter topics, or the channel's own name. */
    private static List<String> check(String source, Properties properties, Set<String> seen) {
        List<String> problems = new ArrayList<>();
        for (String channel : channels(properties)) {
            String prefix = "mp.messaging." + channel + ".";
            String name = channel.substring(channel.indexOf('.') + 1);
            if (!"smallrye-kafka".equals(properties.getProperty(prefix + "connector"))
                    || Boolean.parseBoolean(properties.getProperty(prefix + "pattern"))) {
                continue;
            }
            List<String> topics = new ArrayList<>();
            if (properties.containsKey(prefix + "topics")) {
                Stream.of(properties.getProperty(prefix + "topics").split(",")).map(String::trim).forEach(topics::add);
            } else {
                // SmallRye's default: the channel's name is the topic.
                topics.add(properties.getProperty(prefix + "topic", name));
            }
            for (String extra : List.of("reply.topic", "dead-letter-queue.topic")) {
                if (properties.containsKey(prefix + extra)) {
                    topics.add(properties.getProperty(prefix + extra));
                }
            }
            String strategy = properties.getProperty(prefix + "failure-strategy", "fail");
            if (strategy.equals("dead-letter-queue") && !properties.containsKey(prefix + "dead-letter-queue.topic")) {
                topics.add("dead-letter-topic-" + name);
            }
            if (strategy.equals("delayed-retry-topic")) {
                problems.add(source + ": channel " + name + " uses delayed-retry-topic, whose retry topics are not in"
                        + " the catalogue");
            }
            for (String topic : topics) {
                seen.add(topic);
                if (TopicCatalogue.find(topic).isEmpty()) {
                    problems.add(source + ": channel " + name + " uses topic '" + topic + "', which is not in "
                            + "TopicCatalogue");
                }
            }
        }
        return problems;
    }

    /** Every channel the properties configure, as {@code incoming.NAME} or {@code outgoing.NAME}. */
    static Set<String> channels(Properties properties) {
        Set<String> channels = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = CHANNEL_KEY.matcher(key);
            if (m.matches()) {
                channels.add(m.group(1) + "." + m.group(2));
            }
        }
        return channels;
    }

    /** Every module's configuration, by its path in the repository. */
    static Map<String, Properties> configurations() throws IOException {
        Map<String, Properties> configurations = new TreeMap<>();
        for (Path file : configurationFiles()) {
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            }
            configurations.put(TestStack.repositoryRoot().relativize(file).toString(), properties);
        }
        return configurations;
    }

    private static List<Path> configurationFiles() throws IOException {
        Path root = TestStack.repositoryRoot();
        try (Stream<Path> modules = Files.list(root)) {
            List<Path> files = new ArrayList<>();
            for (Path module : modules.sorted().toList()) {
                for (String name : List.of("src/main/resources/application.properties",
                        "src/main/resources/META-INF/microprofile-config.properties")) {
                    if (Files.isRegularFile(module.resolve(name))) {
                        files.add(module.resolve(name));
                    }
                }
            }
            return files;
        }
    }
}
