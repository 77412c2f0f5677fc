package dev.seedloop.proposer.application;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntPredicate;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.messaging.InboundChannels;
import dev.seedloop.messaging.OutboundEvents;
import dev.seedloop.messaging.StudyDirectory;
import dev.seedloop.messaging.TransientFailure;
import dev.seedloop.proposer.config.ProposerConfig;
import dev.seedloop.proposer.domain.ProposalLedger;
import dev.seedloop.proposer.domain.Proposer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Where the learner's requests for proposals (StrategyUpdated; a study's first batch is one, ADR 0021) are answered,
 * held or dropped, by the study's status: an active study gets what it is owed now; a paused one when it is resumed; a
 * halted or completed one nothing, ever. The learner asks for nothing while it knows a study is paused, so a request
 * that meets a pause crossed it in flight; the learner counts those proposals as in flight, so they are held, not
 * dropped.
 *
 * <p>What is held is not kept here: it is what the topics say is owed ({@link ProposalBook}: requested, not on the
 * proposals topic), so a proposer that starts after a crash holds exactly what its predecessor held. At start, once the
 * directory and the book have read their topics, every active study gets what it is owed (readiness check {@value
 * ProposalDeskReadiness#NAME} is DOWN until then); after that, each resume releases its study's.
 *
 * <p>One request at a time (a lock), and only what is missing is published: a request redelivered, or answered both by
 * the start-up pass and its channel, publishes each proposal once.
 */
@ApplicationScoped
public class ProposalDesk {

    /** The channel whose failure policy and readiness entry the desk's own work (start-up pass, resumes) uses. */
    static final String CHANNEL = "strategy-in";

    private static final Logger LOG = Logger.getLogger(ProposalDesk.class);

    @Inject
    StudyDirectory directory;

    @Inject
    ProposalBook book;

    @Inject
    OutboundEvents outbound;

    @Inject
    InboundChannels channels;

    @Inject
    ProposerConfig config;

    @Inject
    java.time.Clock clock;

    @Inject
    LlmProposals llm;

    @Inject
    @Channel("proposals-out")
    MutinyEmitter<byte[]> proposals;

    private final ReentrantLock desk = new ReentrantLock();
    /** Start-up pass and resumes, one after the other, off the directory's reader thread. */
    private final ExecutorService releases = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "proposer-owed-requests");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean started;
    private volatile boolean startPassDone;

    void onStart(@Observes StartupEvent start) {
        directory.onStatusChange(this::statusChanged);
        releases.submit(this::startPass);
    }

    @PreDestroy
    void stop() {
        releases.shutdownNow();
    }

    /** Whether the start-up pass over what was owed has run. */
    public boolean startPassDone() {
        return startPassDone;
    }

    /**
     * A request arrived on a channel: answered now, held or dropped by its study's status. Blocking.
     *
     * @throws dev.seedloop.messaging.UnknownStudyException for a study nobody created or imported
     */
    public void request(EventEnvelope request) {
        StudyDirectory.Entry study = directory.await(request.studyId(), config.viewWait());
        desk.lock();
        try {
            book.requested(request);
            // Read again under the lock, which a resume's release takes too: either the resume is seen here, or the
            // release finds this request in the book.
            StudyDirectory.Status status = directory.find(request.studyId()).orElse(study).status();
            switch (status) {
                case ACTIVE -> publishMissing(request, study.spec());
                case PAUSED -> LOG.infof("study %s is paused: %s %s held until it is resumed", request.studyId(),
                        request.type(), request.eventId());
                default -> LOG.infof("study %s is %s: no more proposals", request.studyId(), status);
            }
        } finally {
            desk.unlock();
        }
    }

    private void startPass() {
        try {
            channels.runBlocking(CHANNEL, "start-up: reading what is owed", () -> {
                if (!directory.awaitCaughtUp(config.viewWait()) || !book.awaitCaughtUp(config.viewWait())) {
                    throw new TransientFailure("the study directory and the proposal book could not read their topics"
                            + " within " + config.viewWait().toSeconds() + " s");
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not read what is owed; nothing held before this start is proposed until the next one");
            return;
        }
        started = true;
        int studies = 0;
        for (String studyId : book.studiesOwed()) {
            studies += proposeOwed(studyId) ? 1 : 0;
        }
        startPassDone = true;
        LOG.infof("start-up pass done: %d active stud%s got what %s owed", studies, studies == 1 ? "y" : "ies",
                studies == 1 ? "it was" : "they were");
    }

    /** On the directory's reader thread: hands a resume's release to the release thread. */
    private void statusChanged(StudyDirectory.Entry study) {
        if (started && study.status() == StudyDirectory.Status.ACTIVE) {
            releases.submit(() -> proposeOwed(study.created().studyId()));
        }
    }

    /** Proposes what an active study is owed; true if there was something. */
    private boolean proposeOwed(String studyId) {
        boolean[] proposed = new boolean[1];
        try {
            channels.runBlocking(CHANNEL, "owed requests of study " + studyId, () -> {
                desk.lock();
                try {
                    StudyDirectory.Entry study = directory.find(studyId).orElse(null);
                    if (study == null || study.status() != StudyDirectory.Status.ACTIVE) {
                        return;
                    }
                    for (ProposalLedger.Owed owed : book.owed(studyId)) {
                        LOG.infof("study %s is active: proposing ordinals %s owed to %s %s", studyId, owed.ordinals(),
                                owed.cause().type(), owed.cause().eventId());
                        publishMissing(owed.cause(), study.spec());
                        proposed[0] = true;
                    }
                } finally {
                    desk.unlock();
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not propose what study %s is owed; the next start or resume proposes it", studyId);
        }
        return proposed[0];
    }

    /**
     * Under the lock: publishes the request's proposals that are not made yet (an llm study's with the model calls
     * that made them), and notes them made.
     */
    private void publishMissing(EventEnvelope request, StudyCreated study) {
        IntPredicate missingOrdinal = ordinal -> !book.isMade(request, ordinal);
        List<EventEnvelope> missing = LlmProposals.handles(study)
                ? llm.proposalsFor(request, study, clock.instant(), missingOrdinal)
                : Proposer.proposalsFor(request, study, clock.instant(), missingOrdinal);
        if (missing.isEmpty()) {
            return;
        }
        outbound.publish(proposals, missing).await().indefinitely();
        book.made(missing);
    }
}
