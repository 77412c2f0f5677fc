package dev.seedloop.proposer.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

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
import dev.seedloop.proposer.domain.Proposer;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * New studies and the learner's requests in, proposals out; an input is committed only after its
 * proposals are durable. A study that is paused, halted or completed gets no more proposals.
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
    Clock clock;

    @Inject
    @Channel("proposals-out")
    MutinyEmitter<byte[]> proposals;

    @Incoming("studies-in")
    public Uni<Void> onStudyEvent(ConsumerRecord<String, byte[]> record) {
        return inbound.process(record, Services.PROPOSER, event -> event.payload() instanceof StudyCreated created
                ? outbound.publish(proposals, Proposer.onStudyCreated(event, created, clock.instant()))
                : Uni.createFrom().voidItem());
    }

    /** Blocking: it may wait for the study directory to catch up with the study's creation. */
    @Incoming("strategy-in")
    @Blocking
    public void onStrategyEvent(ConsumerRecord<String, byte[]> record) {
        inbound.process(record, Services.PROPOSER, this::handleStrategy).await().indefinitely();
    }

    private Uni<Void> handleStrategy(EventEnvelope event) {
        if (!(event.payload() instanceof StrategyUpdated update)) {
            return Uni.createFrom().voidItem();
        }
        StudyDirectory.Entry study = directory.await(event.studyId(), STUDY_WAIT);
        if (!study.acceptsWork()) {
            LOG.infof("study %s is %s: ignoring the request for %d proposals", event.studyId(), study.status(),
                    update.proposalsRequested());
            return Uni.createFrom().voidItem();
        }
        List<EventEnvelope> out = Proposer.onStrategyUpdated(event, update, study.spec(), clock.instant());
        return outbound.publish(proposals, out);
    }
}
