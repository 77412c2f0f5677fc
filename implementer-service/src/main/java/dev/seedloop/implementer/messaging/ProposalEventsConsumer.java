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
import dev.seedloop.implementer.application.ExperimentLedger;
import dev.seedloop.implementer.application.ExperimentService;
import dev.seedloop.messaging.InboundChannels;
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
    static final String CHANNEL = "proposals-in";

    @Inject
    InboundChannels channels;

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

    /**
     * Under the channel's policy (ADR 0014): a study the directory cannot see yet, or a broker that refuses the
     * outcome, is retried with readiness DOWN; a study nobody knows is dead-lettered. A failing experiment is an
     * outcome, not a failure of the handler: it is never retried here.
     */
    @Incoming(CHANNEL)
    @Blocking(value = "experiments", ordered = false)
    public void onProposalEvent(ConsumerRecord<String, byte[]> record) {
        channels.processBlocking(CHANNEL, record, event -> {
            if (event.payload() instanceof ProposalCreated created) {
                try {
                    run(event, created);
                } catch (InterruptedException e) {
                    // Shutting down: the record stays uncommitted and is run again by the next instance.
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while running " + created.proposalId(), e);
                }
            }
            return Uni.createFrom().voidItem();
        });
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
                // Retried by itself: an outcome hours in the making is not thrown away for a broker's blip.
                channels.runBlocking(CHANNEL, "outcome of proposal " + proposal.proposalId(),
                        () -> outbound.publish(outcomes, List.of(outcome)).await().indefinitely());
                if (!(outcome.payload() instanceof ExperimentStarted)) {
                    ledger.noteOutcome(proposal.proposalId());
                }
            });
        } finally {
            ledger.release(proposal.proposalId());
        }
    }
}
