package dev.seedloop.proposer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.messaging.InboundChannels;
import dev.seedloop.proposer.application.ProposalDesk;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * The learner's requests in, proposals out ({@link ProposalDesk}); a request is committed only after its proposals
 * are durable, or it is held (its study is paused: the topics remember it), or dead-lettered. The channel blocks: a
 * request may wait for the study directory to read up to it. A study's creation asks for nothing (ADR 0021: its first
 * batch is the learner's first request); the directory reads it for the spec.
 */
@ApplicationScoped
public class LearnerRequestsConsumer {

    @Inject
    InboundChannels channels;

    @Inject
    ProposalDesk desk;

    @Incoming("strategy-in")
    @Blocking
    public void onStrategyEvent(ConsumerRecord<String, byte[]> record) {
        channels.processBlocking("strategy-in", record, this::handle);
    }

    private Uni<Void> handle(EventEnvelope event) {
        if (event.payload() instanceof StrategyUpdated update && update.proposalsRequested() > 0) {
            desk.request(event);
        }
        return Uni.createFrom().voidItem();
    }
}
