package dev.seedloop.messaging;

import java.util.Map;

import dev.seedloop.testsupport.KafkaTopics;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The probe channels' topics are not in the catalogue, and the test broker creates no topic on first use (ADR 0013):
 * they are created before the application subscribes to them.
 */
public class ProbeTopicsResource implements QuarkusTestResourceLifecycleManager {

    static final String PROBE = "seedloop.test.probe";
    static final String PROBE_BLOCKING = "seedloop.test.probe-blocking";
    static final String PROBE_BATCH = "seedloop.test.probe-batch";
    /** Where the probes echo what they handled, when told to (ObservabilityTest). */
    static final String PROBE_ECHO = "seedloop.test.probe-echo";

    @Override
    public Map<String, String> start() {
        KafkaTopics.createTopics(PROBE, PROBE_BLOCKING, PROBE_BATCH, PROBE_ECHO);
        return Map.of();
    }

    @Override
    public void stop() {
        // Topics outlive the application: the broker belongs to the JVM.
    }
}
