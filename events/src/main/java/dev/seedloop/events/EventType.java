package dev.seedloop.events;

import java.util.List;

/**
 * Registry entry for the current version of one logical event type: its wire name, version,
 * payload record, the topic it is published on, the service that produces it and the services
 * that consume it. Invariant: non-blank names, version >= 1, consumers non-empty and distinct.
 */
public record EventType(String name, int version, Class<? extends EventPayload> payloadClass, String topic,
                        String producer, List<String> consumers) {

    public EventType {
        Checks.notBlank(name, "name");
        Checks.atLeast(version, 1, "version");
        Checks.notNull(payloadClass, "payloadClass");
        if (!payloadClass.isRecord()) {
            throw new IllegalArgumentException("payloadClass " + payloadClass.getName() + " must be a record");
        }
        Checks.notBlank(topic, "topic");
        Checks.notBlank(producer, "producer");
        consumers = Checks.list(consumers, "consumers");
        if (consumers.isEmpty() || consumers.stream().distinct().count() != consumers.size()) {
            throw new IllegalArgumentException(name + ": consumers must be non-empty and distinct");
        }
    }
}
