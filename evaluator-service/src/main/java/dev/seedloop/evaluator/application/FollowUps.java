package dev.seedloop.evaluator.application;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import dev.seedloop.evaluator.config.EvaluatorConfig;
import dev.seedloop.evaluator.domain.EvaluationDecider;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.messaging.InboundChannels;
import dev.seedloop.messaging.OutboundEvents;
import dev.seedloop.messaging.StudyDirectory;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Publishes the evaluator's decisions event by event, each folded into the {@link ChampionBook} as soon as the broker
 * has it, and completes what a published win still owes: when the ChampionChanged (or PromotionRequested) after a
 * NEW_CHAMPION evaluation could not be sent, the outcome is retried or redelivered, finds itself judged, and gets
 * exactly that event ({@link EvaluationDecider#followUpOwed}, same id). At start, once the book has read its topics,
 * every study's unsettled win is completed too: an outcome that was dead-lettered after its evaluation went out owes it
 * as well.
 */
@ApplicationScoped
public class FollowUps {

    /** The channel whose failure policy and readiness entry the start-up pass uses. */
    static final String CHANNEL = "experiments-in";

    private static final Logger LOG = Logger.getLogger(FollowUps.class);

    @Inject
    ChampionBook book;

    @Inject
    StudyDirectory directory;

    @Inject
    OutboundEvents outbound;

    @Inject
    InboundChannels channels;

    @Inject
    EvaluatorConfig config;

    @Inject
    Clock clock;

    @Inject
    @Channel("evaluations-out")
    MutinyEmitter<byte[]> evaluations;

    void onStart(@Observes StartupEvent start) {
        Thread pass = new Thread(this::startPass, "evaluator-owed-follow-ups");
        pass.setDaemon(true);
        pass.start();
    }

    /** Publishes decisions in order, folding each into the book once acknowledged. Blocking; call exclusively. */
    public void publish(List<EventEnvelope> events) {
        outbound.publishInOrder(evaluations, events, book::apply).await().indefinitely();
    }

    /** What the evaluation of an experiment judged before still owes (nothing, usually). Call exclusively. */
    public List<EventEnvelope> owedBy(String studyId, UUID experimentId) {
        return book.unsettledWin(studyId)
                .filter(win -> ((EvaluationCompleted) win.payload()).experimentId().equals(experimentId))
                .map(win -> owed(win))
                .orElse(List.of());
    }

    private List<EventEnvelope> owed(EventEnvelope win) {
        StudyDirectory.Entry study = directory.await(win.studyId(), config.viewWait());
        List<EventEnvelope> owed = EvaluationDecider.followUpOwed(win, book.state(win.studyId()),
                study.spec().promotion(), clock.instant());
        owed.forEach(event -> LOG.infof("study %s: sending the %s its evaluation %s still owes", win.studyId(),
                event.type(), win.eventId()));
        return owed;
    }

    private void startPass() {
        java.util.Set<String> studies;
        try {
            java.util.Set<String>[] found = new java.util.Set[1];
            channels.runBlocking(CHANNEL, "start-up: reading the champion book",
                    () -> found[0] = book.studiesWithUnsettledWins());
            studies = found[0];
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not read the champion book; wins left unsettled before this start are completed when "
                    + "their outcomes are redelivered, or at the next start");
            return;
        }
        for (String studyId : studies) {
            try {
                channels.runBlocking(CHANNEL, "start-up: what the win of study " + studyId + " owes",
                        () -> book.exclusively(() -> {
                            book.unsettledWin(studyId).ifPresent(win -> publish(owed(win)));
                            return null;
                        }));
            } catch (RuntimeException e) {
                LOG.errorf(e, "could not complete what the win of study %s owes; the next start will", studyId);
            }
        }
    }
}
