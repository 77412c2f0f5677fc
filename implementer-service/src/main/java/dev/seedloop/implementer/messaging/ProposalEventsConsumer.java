package dev.seedloop.implementer.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Services;
import dev.seedloop.messaging.InboundEvents;
import io.smallrye.mutiny.Uni;

/**
 * Proposals in. Running them in the sandbox is the loop issue's work (#3): until then the implementer
 * only takes proposals off the topic (dead-lettering what it cannot read) and logs them.
 */
@ApplicationScoped
public class ProposalEventsConsumer {

    private static final Logger LOG = Logger.getLogger(ProposalEventsConsumer.class);

    @Inject
    InboundEvents inbound;

    @Incoming("proposals-in")
    public Uni<Void> onProposalEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.process(record, Services.IMPLEMENTER, this::handle);
    }

    private Uni<Void> handle(EventEnvelope event) {
        if (event.payload() instanceof ProposalCreated proposal) {
            LOG.infof("study %s: proposal %s received (no executor yet)", event.studyId(), proposal.proposalId());
        }
        return Uni.createFrom().voidItem();
    }
}
