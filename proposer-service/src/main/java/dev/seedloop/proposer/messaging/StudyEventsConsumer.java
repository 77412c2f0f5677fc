package dev.seedloop.proposer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.messaging.InboundChannels;
import dev.seedloop.proposer.application.ProposalDesk;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * New studies and the learner's requests in, proposals out ({@link ProposalDesk}); an input is committed only after
 * its proposals are durable, or it is held (its study is paused: the topics remember it), or dead-lettered. Both
 * channels block: a request may wait for the study directory to read up to it.
 */
@ApplicationScoped
public class StudyEventsConsumer {

    @Inject
    InboundChannels channels;

    @Inject
    ProposalDesk desk;

    @Incoming("studies-in")
    @Blocking
    public void onStudyEvent(ConsumerRecord<String, byte[]> record) {
        channels.processBlocking("studies-in", record, this::handle);
    }

    @Incoming("strategy-in")
    @Blocking
    public void onStrategyEvent(ConsumerRecord<String, byte[]> record) {
        channels.processBlocking("strategy-in", record, this::handle);
    }

    private Uni<Void> handle(EventEnvelope event) {
        boolean asksForProposals = switch (event.payload()) {
            case StudyCreated created -> true;
            case StrategyUpdated update -> update.proposalsRequested() > 0;
            default -> false;
        };
        if (asksForProposals) {
            desk.request(event);
        }
        return Uni.createFrom().voidItem();
    }
}
