package dev.seedloop.messaging;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventEnvelope;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Test channels handing records to {@link InboundChannels} the three ways services do. Each study id gets a script:
 * healthy, failing transiently while its outage lasts, or failing deterministically for ever.
 */
@ApplicationScoped
public class ProbeConsumers {

    private static final Logger LOG = Logger.getLogger(ProbeConsumers.class);

    /** What the handler does with a study's records; ECHO is HEALTHY and publishes the event again. */
    public enum Script { HEALTHY, OUTAGE, BUG, ECHO }

    private final Map<String, Script> scripts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();

    @Inject
    InboundChannels channels;

    @Inject
    OutboundEvents outbound;

    @Inject
    @Channel("probe-echo")
    MutinyEmitter<byte[]> echo;

    @Incoming("probe-in")
    public Uni<Void> onProbe(ConsumerRecord<String, byte[]> record) {
        return channels.process("probe-in", record, event -> Uni.createFrom().item(event).invoke(this::handle)
                .chain(() -> echo(List.of(event))));
    }

    @Incoming("probe-blocking-in")
    @Blocking
    public void onBlockingProbe(ConsumerRecord<String, byte[]> record) {
        channels.processBlocking("probe-blocking-in", record, event -> {
            handle(event);
            echo(List.of(event)).await().indefinitely();
            return Uni.createFrom().voidItem();
        });
    }

    @Incoming("probe-batch-in")
    public Uni<Void> onBatch(ConsumerRecords<String, byte[]> records) {
        return channels.processBatch("probe-batch-in", records, events -> {
            events.forEach(this::handle);
            return echo(events);
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

    /** What a service does: publishes events the handled ones caused. */
    private Uni<Void> echo(List<EventEnvelope> events) {
        return outbound.publish(echo, events.stream()
                .filter(event -> scripts.get(event.studyId()) == Script.ECHO)
                .map(event -> event.caused(UUID.randomUUID(), event.occurredAt(), "probe", event.payload()))
                .toList());
    }

    private void handle(EventEnvelope event) {
        String study = event.studyId();
        LOG.infof("probe handles event %s", event.eventId());
        attempts.computeIfAbsent(study, s -> new AtomicInteger()).incrementAndGet();
        switch (scripts.getOrDefault(study, Script.HEALTHY)) {
            case OUTAGE -> throw new org.apache.kafka.common.errors.TimeoutException(
                    "broker unavailable while handling " + study);
            case BUG -> throw new IllegalStateException("bug on " + study);
            case HEALTHY, ECHO -> processed.computeIfAbsent(study, s -> new AtomicInteger()).incrementAndGet();
        }
    }
}
