package dev.seedloop.proposer.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.messaging.InboundEvents;
import dev.seedloop.messaging.OutboundEvents;
import dev.seedloop.messaging.StudyDirectory;
import dev.seedloop.proposer.application.HeldProposals;
import dev.seedloop.proposer.domain.Proposer;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * New studies and the learner's requests in, proposals out; an input is committed only after its
 * proposals are durable. A halted or completed study gets no more proposals; a paused one gets them when
 * it is resumed ({@link HeldProposals}).
 */
@ApplicationScoped
public class StudyEventsConsumer {

    private static final Logger LOG = Logger.getLogger(StudyEventsConsumer.class);
    private static final Duration STUDY_WAIT = Duration.ofSeconds(30);

    @Inject
    InboundEvents inbound;

    @Inject
    OutboundEvents outbound;

    @Inject
    StudyDirectory directory;

    @Inject
    HeldProposals held;

    @Inject
    Clock clock;

    @Inject
    @Channel("proposals-out")
    MutinyEmitter<byte[]> proposals;

    @PostConstruct
    void releaseHeldProposals() {
        held.releaseTo(out -> outbound.publish(proposals, out).subscribe().with(
                done -> LOG.debugf("published %d held proposal(s)", out.size()),
                failure -> LOG.errorf(failure, "could not publish %d held proposal(s)", out.size())));
    }

    @Incoming("studies-in")
    public Uni<Void> onStudyEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.process(record, Services.PROPOSER, event -> event.payload() instanceof StudyCreated created
                ? propose(event, () -> Proposer.onStudyCreated(event, created, clock.instant()))
                : Uni.createFrom().voidItem());
    }

    /** Blocking: it may wait for the study directory to catch up with the study's creation. */
    @Incoming("strategy-in")
    @Blocking
    public void onStrategyEvent(ConsumerRecord<String, byte[]> record) {
        inbound.process(record, Services.PROPOSER, this::handleStrategy).await().indefinitely();
    }

    private Uni<Void> handleStrategy(EventEnvelope event) {
        if (!(event.payload() instanceof StrategyUpdated update) || update.proposalsRequested() == 0) {
            return Uni.createFrom().voidItem(); // nothing to propose, or to hold while paused
        }
        StudyCreated study = directory.await(event.studyId(), STUDY_WAIT).spec();
        return propose(event, () -> Proposer.onStrategyUpdated(event, update, study, clock.instant()));
    }

    private Uni<Void> propose(EventEnvelope cause, Supplier<List<EventEnvelope>> out) {
        return held.admit(cause.studyId(), out) ? outbound.publish(proposals, out.get()) : Uni.createFrom().voidItem();
    }
}
