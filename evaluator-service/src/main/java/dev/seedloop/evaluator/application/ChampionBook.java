package dev.seedloop.evaluator.application;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.seedloop.evaluator.domain.EvaluatorState;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Topics;
import dev.seedloop.messaging.TopicView;

/**
 * Every study's champion as the evaluator decided it, rebuilt from its own topic at start and updated
 * as soon as it publishes (the topic echo comes later and is ignored by event id). Also tells which
 * experiments were already judged, so a redelivered outcome is not judged again.
 */
@ApplicationScoped
public class ChampionBook {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final Map<String, EvaluatorState> champions = new ConcurrentHashMap<>();
    private final Set<UUID> applied = ConcurrentHashMap.newKeySet();
    private final Set<UUID> judgedExperiments = ConcurrentHashMap.newKeySet();
    private volatile TopicView view;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** The study's state, once the book has read everything decided before this instance started. */
    public EvaluatorState state(String studyId) {
        ready();
        return champions.getOrDefault(studyId, EvaluatorState.EMPTY);
    }

    public boolean judged(UUID experimentId) {
        ready();
        return judgedExperiments.contains(experimentId);
    }

    /** Records this instance's own decisions (and, from the reader thread, the topic's). */
    public synchronized void apply(EventEnvelope event) {
        if (!applied.add(event.eventId())) {
            return;
        }
        if (event.payload() instanceof EvaluationCompleted evaluation) {
            judgedExperiments.add(evaluation.experimentId());
        }
        champions.compute(event.studyId(), (id, state) ->
                EvaluatorState.evolve(state == null ? EvaluatorState.EMPTY : state, event));
    }

    private void ready() {
        TopicView current = view;
        if (current == null) {
            synchronized (this) {
                if (view == null) {
                    view = TopicView.start(bootstrapServers, "evaluations", List.of(Topics.EVALUATIONS), codec,
                            this::apply);
                }
                current = view;
            }
        }
        if (!current.awaitCaughtUp(CATCH_UP)) {
            throw new IllegalStateException("the evaluations topic could not be read within " + CATCH_UP.toSeconds()
                    + " s; refusing to judge without knowing the champions");
        }
    }

    @PreDestroy
    void stop() {
        if (view != null) {
            view.close();
        }
    }
}
