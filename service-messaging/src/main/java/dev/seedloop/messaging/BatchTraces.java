package dev.seedloop.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The trace context of each record in a batch being handled, by event id. A single record's handler publishes
 * within its record's context (SmallRye makes it current), but a batch carries many traces and none is current, so
 * without this a decision taken on a batch would start a new trace. {@link OutboundEvents} parents what it publishes
 * on the context of the event's cause (its {@code causationId}) when that cause is in a batch being handled here:
 * a proposal's path stays one trace through the learner's batches (ADR 0028).
 */
@ApplicationScoped
public class BatchTraces {

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    @Inject
    OpenTelemetry openTelemetry;

    private final Map<UUID, Context> contexts = new ConcurrentHashMap<>();

    /** Remembers the context {@code record} (the event {@code eventId}) carries in its headers, if any. */
    void remember(UUID eventId, ConsumerRecord<String, byte[]> record) {
        Context context = openTelemetry.getPropagators().getTextMapPropagator()
                .extract(Context.root(), record.headers(), HEADERS);
        if (context != Context.root()) {
            contexts.put(eventId, context);
        }
    }

    /** Forgets the batch's events once it is handled. */
    void forget(Collection<UUID> eventIds) {
        eventIds.forEach(contexts::remove);
    }

    /** The trace context of the event {@code eventId}, while its batch is being handled. */
    Optional<Context> of(UUID eventId) {
        return eventId == null ? Optional.empty() : Optional.ofNullable(contexts.get(eventId));
    }
}
