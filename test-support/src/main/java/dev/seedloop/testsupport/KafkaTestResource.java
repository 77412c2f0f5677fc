package dev.seedloop.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test at the JVM-wide Kafka broker of {@link SharedInfrastructure}.
 *
 * <p>{@link #stop()} leaves the broker running: it belongs to the JVM, not to one test class.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers());
    }

    @Override
    public void stop() {
        // The shared broker is stopped by SharedInfrastructure's shutdown hook.
    }
}
