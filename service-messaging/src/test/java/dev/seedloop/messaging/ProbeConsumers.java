package dev.seedloop.messaging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.seedloop.events.EventEnvelope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Test channels handing records to {@link InboundChannels} the three ways services do. Each study id gets a script:
 * healthy, failing transiently while its outage lasts, or failing deterministically for ever.
 */
@ApplicationScoped
public class ProbeConsumers {

    /** What the handler does with a study's records. */
    public enum Script { HEALTHY, OUTAGE, BUG }

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();

    @Inject
    InboundChannels channels;

    @Incoming("probe-in")
    public Uni<Void> onProbe(ConsumerRecord<String, byte[]> record) {
        return channels.process("probe-in", record, event -> Uni.createFrom().item(event).invoke(this::handle)
                .replaceWithVoid());
    }

    @Incoming("probe-blocking-in")
    @Blocking
    public void onBlockingProbe(ConsumerRecord<String, byte[]> record) {
        channels.processBlocking("probe-blocking-in", record, event -> {
            handle(event);
            return Uni.createFrom().voidItem();
        });
    }

    @Incoming("probe-batch-in")
    public Uni<Void> onBatch(ConsumerRecords<String, byte[]> records) {
        return channels.processBatch("probe-batch-in", records, events -> {
            events.forEach(this::handle);
            return Uni.createFrom().voidItem();
        });
    }

    public void script(String study, Script script) {
        scripts.put(study, script);
    }

    public int attempts(String study) {
        return attempts.getOrDefault(study, new AtomicInteger()).get();
    }

    public int processed(String study) {
        return processed.getOrDefault(study, new AtomicInteger()).get();
    }

    private void handle(EventEnvelope event) {
        String study = event.studyId();
        attempts.computeIfAbsent(study, s -> new AtomicInteger()).incrementAndGet();
        switch (scripts.getOrDefault(study, Script.HEALTHY)) {
            case OUTAGE -> throw new org.apache.kafka.common.errors.TimeoutException(
                    "broker unavailable while handling " + study);
            case BUG -> throw new IllegalStateException("bug on " + study);
            case HEALTHY -> processed.computeIfAbsent(study, s -> new AtomicInteger()).incrementAndGet();
        }
    }
}
