package dev.seedloop.events;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every topic Seedloop uses, with what it is for and so how long Kafka keeps it. One list, read by whatever creates
 * topics (the local stack, the test broker) and checked against the Kubernetes manifests
 * ({@code deploy/kubernetes/base/topics.yaml}), so an installation keeps what the design relies on (ADR 0013).
 */
public final class TopicCatalogue {

    /** Why a topic exists, which decides its retention. */
    public enum Role {
        /**
         * Part of the record: events (the store can be restored from them, ADR 0002/0012), the journal (it gives a
         * restored store its sequences), imports (they exist nowhere else) and dead letters (nothing is dropped).
         * Kept for ever.
         */
        RECORD,
        /** Requests and replies that are worthless once their caller gave up (seconds): kept an hour for debugging. */
        TRANSPORT
    }

    /** How long a {@link Role#TRANSPORT} topic keeps its records. */
    public static final long TRANSPORT_RETENTION_MS = 3_600_000L;

    /** Partitions in production (the unit of parallelism per consumer group); a local broker may use fewer. */
    public static final int PARTITIONS = 6;

    /** One topic: its name, role and the topic-level Kafka settings that role implies. */
    public record Topic(String name, Role role) {

        public Topic {
            Checks.notBlank(name, "name");
            Checks.notNull(role, "role");
        }

        /** Topic-level configuration (Kafka's names), the same wherever the topic is created. */
        public Map<String, String> config() {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("cleanup.policy", "delete");
            config.put("retention.ms", role == Role.RECORD ? "-1" : Long.toString(TRANSPORT_RETENTION_MS));
            config.put("retention.bytes", "-1");
            return Map.copyOf(config);
        }
    }

    private static final List<Topic> ALL = List.of(
            new Topic(Topics.STUDIES, Role.RECORD),
            new Topic(Topics.PROPOSALS, Role.RECORD),
            new Topic(Topics.EXPERIMENTS, Role.RECORD),
            new Topic(Topics.EVALUATIONS, Role.RECORD),
            new Topic(Topics.STRATEGY, Role.RECORD),
            new Topic(Topics.TEAMS, Role.RECORD),
            new Topic(Topics.DEAD_LETTERS, Role.RECORD),
            new Topic(Topics.JOURNAL, Role.RECORD),
            new Topic(Topics.IMPORTS, Role.RECORD),
            new Topic(Topics.QUERIES, Role.TRANSPORT),
            new Topic(Topics.QUERY_REPLIES, Role.TRANSPORT));

    private TopicCatalogue() {
    }

    public static List<Topic> all() {
        return ALL;
    }

    public static Optional<Topic> find(String name) {
        return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
    }
}
