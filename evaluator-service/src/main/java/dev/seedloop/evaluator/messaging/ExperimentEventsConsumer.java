package dev.seedloop.evaluator.messaging;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.seedloop.evaluator.domain.Evaluator;
import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.Services;
import dev.seedloop.messaging.InboundEvents;
import dev.seedloop.messaging.OutboundEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/** Experiment outcomes in, evaluations out. */
@ApplicationScoped
public class ExperimentEventsConsumer {

    /** Identifies the decision rule that produced an evaluation, so a rule change is visible in replay. */
    static final String EVALUATOR_SHA256 = ContentHash.sha256("seedloop-evaluator:failed-is-invalid:v1");

    @Inject
    InboundEvents inbound;

    @Inject
    OutboundEvents outbound;

    @Inject
    Clock clock;

    @Inject
    @Channel("evaluations-out")
    MutinyEmitter<byte[]> evaluations;

    @Incoming("experiments-in")
    public Uni<Void> onExperimentEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.process(record, Services.EVALUATOR, this::handle);
    }

    private Uni<Void> handle(EventEnvelope event) {
        List<EventEnvelope> out = switch (event.payload()) {
            case ExperimentFailed failed -> Evaluator.onExperimentFailed(event, failed, clock.instant(),
                    EVALUATOR_SHA256);
            default -> List.of();
        };
        return outbound.publish(evaluations, out);
    }
}
