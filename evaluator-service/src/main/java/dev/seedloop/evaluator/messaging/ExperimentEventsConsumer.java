package dev.seedloop.evaluator.messaging;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.seedloop.evaluator.application.ChampionBook;
import dev.seedloop.evaluator.application.FollowUps;
import dev.seedloop.evaluator.config.EvaluatorConfig;
import dev.seedloop.evaluator.domain.EvaluationDecider;
import dev.seedloop.evaluator.domain.Evaluator;
import dev.seedloop.evaluator.domain.PromotionSettings;
import dev.seedloop.evaluator.domain.ValidationResult;
import dev.seedloop.events.ContentHash;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.messaging.InboundChannels;
import dev.seedloop.messaging.StudyDirectory;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Experiment outcomes in, evaluations (and champion changes or promotion requests) out, one decision at a
 * time so a study's candidates are always judged against its latest champion.
 */
@ApplicationScoped
public class ExperimentEventsConsumer {

    /**
     * Identifies the decision rule that produced an evaluation, so a rule change is visible in replay;
     * change it whenever the promotion rule changes.
     */
    static final String EVALUATOR_SHA256 = ContentHash.sha256("seedloop-evaluator:welch-noise-floor-heldout:v1");

    @Inject
    InboundChannels channels;

    @Inject
    FollowUps followUps;

    @Inject
    StudyDirectory directory;

    @Inject
    ChampionBook book;

    @Inject
    EvaluatorConfig config;

    @Inject
    Clock clock;

    /** Blocking: it may wait for the study directory and the champion book to catch up. */
    @Incoming("experiments-in")
    @Blocking
    public void onExperimentEvent(ConsumerRecord<String, byte[]> record) {
        channels.processBlocking("experiments-in", record, event -> {
            book.exclusively(() -> {
                handle(event);
                return null;
            });
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Judges an outcome not judged before. A judged one may still be owed the event that settles its win (its send
     * failed after the evaluation went out): that is sent instead. Each event is folded into the book as soon as the
     * broker has it, so a retry after a failed send knows exactly what went out.
     */
    private void handle(EventEnvelope event) {
        List<EventEnvelope> out = switch (event.payload()) {
            case ExperimentFailed failed -> book.judged(failed.experimentId()) ? List.of()
                    : Evaluator.onExperimentFailed(event, failed, clock.instant(), EVALUATOR_SHA256);
            case ExperimentCompleted completed -> book.judged(completed.experimentId())
                    ? followUps.owedBy(event.studyId(), completed.experimentId())
                    : judge(event, completed);
            default -> List.of();
        };
        followUps.publish(out);
    }

    private List<EventEnvelope> judge(EventEnvelope event, ExperimentCompleted completed) {
        StudyCreated study = directory.await(event.studyId(), config.viewWait()).spec();
        ValidationResult validation = completed.validation() == null || completed.validation().passed()
                ? ValidationResult.PASSED
                : ValidationResult.failed(completed.validation().detail());
        PromotionSettings settings = new PromotionSettings(config.alpha(), config.minImprovement(),
                config.minRelativeImprovement(),
                study.validation() == null ? PromotionSettings.DEFAULTS.heldOutTolerance() : study.validation().tolerance(),
                config.confidence());
        return EvaluationDecider.onExperimentCompleted(event, completed, book.state(event.studyId()), study.objective(),
                validation, completed.heldOutValue(), settings, study.promotion(), clock.instant(), EVALUATOR_SHA256);
    }
}
