package dev.seedloop.learner;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

import dev.seedloop.testsupport.SharedInfrastructure;

/** What a consumer group has committed on the shared broker. */
public final class ConsumerGroups {

    private ConsumerGroups() {
    }

    /**
     * Waits until {@code group} has committed, on every partition of the existing {@code topics}, at least the
     * end offset the partition has now: everything produced so far has been processed by that group.
     */
    public static void awaitCaughtUp(String group, List<String> topics, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafkaBootstrapServers()))) {
            Set<String> existing = get(admin.listTopics().names());
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            get(admin.describeTopics(topics.stream().filter(existing::contains).toList()).allTopicNames())
                    .forEach((topic, description) -> description.partitions().forEach(
                            p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> end = new HashMap<>();
            get(admin.listOffsets(latest).all()).forEach((partition, info) -> end.put(partition, info.offset()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata());
                List<TopicPartition> behind = end.entrySet().stream().filter(e -> e.getValue() > 0)
                        .filter(e -> committed.get(e.getKey()) == null
                                || committed.get(e.getKey()).offset() < e.getValue())
                        .map(Map.Entry::getKey).toList();
                if (behind.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("group " + group + " did not commit up to " + end + " within " + timeout
                            + "; behind on " + behind + ", committed " + committed);
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static <T> T get(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
