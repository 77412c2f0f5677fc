package dev.seedloop.implementer.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.Services;
import dev.seedloop.implementer.application.ExperimentLedger;
import dev.seedloop.implementer.application.ExperimentService;
import dev.seedloop.messaging.InboundEvents;
import dev.seedloop.messaging.OutboundEvents;
import dev.seedloop.messaging.StudyDirectory;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Proposals in, experiment outcomes out. Experiments run on their own worker pool
 * ({@code smallrye.messaging.worker.experiments.max-concurrency}), several at once and out of order;
 * each proposal's offset is committed once its outcome is durable, however long the experiment runs
 * (ADR 0017), so a crash mid-experiment leads to the proposal being run again.
 */
@ApplicationScoped
public class ProposalEventsConsumer {

    private static final Logger LOG = Logger.getLogger(ProposalEventsConsumer.class);
    private static final Duration STUDY_WAIT = Duration.ofSeconds(30);

    @Inject
    InboundEvents inbound;

    @Inject
    OutboundEvents outbound;

    @Inject
    StudyDirectory directory;

    @Inject
    ExperimentLedger ledger;

    @Inject
    ExperimentService experiments;

    @Inject
    @Channel("experiments-out")
    MutinyEmitter<byte[]> outcomes;

    @Incoming("proposals-in")
    @Blocking(value = "experiments", ordered = false)
    public void onProposalEvent(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        EventEnvelope[] proposal = new EventEnvelope[1];
        inbound.process(record, Services.IMPLEMENTER, event -> {
            proposal[0] = event;
            return Uni.createFrom().voidItem();
        }).await().indefinitely();
        if (proposal[0] != null && proposal[0].payload() instanceof ProposalCreated created) {
            run(proposal[0], created);
        }
    }

    private void run(EventEnvelope event, ProposalCreated proposal) throws InterruptedException {
        StudyDirectory.Entry study = directory.await(event.studyId(), STUDY_WAIT);
        // Pausing stops new proposals; one proposed before the pause still runs. The learner counts it as in
        // flight, so dropping it would leave the study waiting for a result that never comes.
        if (study.status() == StudyDirectory.Status.HALTED || study.status() == StudyDirectory.Status.COMPLETED) {
            LOG.infof("study %s is %s: proposal %s is not run", event.studyId(), study.status(), proposal.proposalId());
            return;
        }
        if (ledger.hasOutcome(proposal.proposalId()) || !ledger.claim(proposal.proposalId())) {
            LOG.debugf("proposal %s already has an outcome or is running", proposal.proposalId());
            return;
        }
        try {
            experiments.run(event, proposal, study.spec(), outcome -> {
                outbound.publish(outcomes, List.of(outcome)).await().indefinitely();
                if (!(outcome.payload() instanceof ExperimentStarted)) {
                    ledger.noteOutcome(proposal.proposalId());
                }
            });
        } finally {
            ledger.release(proposal.proposalId());
        }
    }
}
