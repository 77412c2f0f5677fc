package dev.seedloop.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.seedloop.events.TopicCatalogue;

/**
 * Gives a broker every topic of {@link TopicCatalogue} with the catalogue's topic-level settings, the way the Kubernetes
 * manifests declare them: missing topics are created (with the broker's default partitions and replication), existing
 * ones whose settings differ are altered to the catalogue's. Run before any service connects, so no topic is ever
 * created by its first use with broker defaults (ADR 0013).
 */
public final class CatalogueTopics {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogueTopics.class);
    private static final Duration IN_EFFECT_TIMEOUT = Duration.ofSeconds(30);

    private CatalogueTopics() {
    }

    /** What {@link #apply} did: the topics it created and those whose settings it changed. */
    public record Outcome(List<String> created, List<String> reconfigured) {
    }

    /** Creates and reconciles the catalogue's topics on the broker at {@code bootstrapServers}. */
    public static Outcome apply(String bootstrapServers) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> created = create(admin, TopicCatalogue.all().stream()
                    .filter(topic -> !existing.contains(topic.name())).toList());
            List<String> reconfigured = reconcile(admin, TopicCatalogue.all().stream()
                    .filter(topic -> existing.contains(topic.name())).toList());
            if (!created.isEmpty() || !reconfigured.isEmpty()) {
                awaitInEffect(admin);
            }
            if (!created.isEmpty()) {
                LOG.info("Created the catalogue topics {} on {}", created, bootstrapServers);
            }
            if (!reconfigured.isEmpty()) {
                LOG.info("Brought the settings of {} on {} to the catalogue's", reconfigured, bootstrapServers);
            }
            return new Outcome(created, reconfigured);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the catalogue topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create the catalogue topics on " + bootstrapServers, e.getCause());
        }
    }

    private static List<String> create(Admin admin, Collection<TopicCatalogue.Topic> topics)
            throws InterruptedException, ExecutionException {
        List<NewTopic> requests = topics.stream()
                .map(topic -> new NewTopic(topic.name(), Optional.empty(), Optional.empty()).configs(topic.config()))
                .toList();
        List<String> created = new ArrayList<>();
        for (var entry : admin.createTopics(requests).values().entrySet()) {
            try {
                entry.getValue().get();
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                // Another process (a second test JVM on an external broker) created it in between: reconcile instead.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                reconcile(admin, List.of(TopicCatalogue.find(entry.getKey()).orElseThrow()));
            }
        }
        return created;
    }

    private static List<String> reconcile(Admin admin, Collection<TopicCatalogue.Topic> topics)
            throws InterruptedException, ExecutionException {
        if (topics.isEmpty()) {
            return List.of();
        }
        Map<String, TopicCatalogue.Topic> byName = topics.stream()
                .collect(Collectors.toMap(TopicCatalogue.Topic::name, topic -> topic));
        Map<ConfigResource, Config> current = admin.describeConfigs(byName.keySet().stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all().get();
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new java.util.LinkedHashMap<>();
        current.forEach((resource, config) -> {
            List<AlterConfigOp> ops = byName.get(resource.name()).config().entrySet().stream()
                    .filter(wanted -> !isSetOnTheTopic(config.get(wanted.getKey()), wanted.getValue()))
                    .map(wanted -> new AlterConfigOp(new ConfigEntry(wanted.getKey(), wanted.getValue()),
                            AlterConfigOp.OpType.SET))
                    .toList();
            if (!ops.isEmpty()) {
                changes.put(resource, ops);
            }
        });
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get();
        }
        return changes.keySet().stream().map(ConfigResource::name).toList();
    }

    /**
     * Waits until the broker answers with the catalogue's settings: the controller commits a change before the broker
     * has applied it, and whoever starts next (a service, a test) must find the topics as the catalogue has them.
     */
    private static void awaitInEffect(Admin admin) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + IN_EFFECT_TIMEOUT.toNanos();
        List<String> differing = differing(admin);
        while (!differing.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The broker still lacks the catalogue settings of " + differing
                        + " after " + IN_EFFECT_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(100);
            differing = differing(admin);
        }
    }

    private static List<String> differing(Admin admin) throws InterruptedException, ExecutionException {
        Map<ConfigResource, Config> current;
        try {
            current = admin.describeConfigs(TopicCatalogue.all().stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name())).toList()).all().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return List.of("(a topic not known to the broker yet)");
            }
            throw e;
        }
        return current.entrySet().stream()
                .filter(entry -> TopicCatalogue.find(entry.getKey().name()).orElseThrow().config().entrySet().stream()
                        .anyMatch(wanted -> !isSetOnTheTopic(entry.getValue().get(wanted.getKey()), wanted.getValue())))
                .map(entry -> entry.getKey().name())
                .toList();
    }

    /** Set on the topic itself: an equal value inherited from the broker would change with the broker's settings. */
    private static boolean isSetOnTheTopic(ConfigEntry entry, String value) {
        return entry != null && value.equals(entry.value())
                && entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG;
    }
}
