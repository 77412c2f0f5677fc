package dev.seedloop.evaluator.application;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.seedloop.evaluator.domain.EvaluatorState;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.Topics;
import dev.seedloop.messaging.TopicProjection;
import dev.seedloop.messaging.TransientFailure;

/**
 * Every study's champion and pending candidates as the evaluator decided them, rebuilt at start from its
 * own topic and the studies topic (which carries the approvers' answers), and updated as soon as it
 * publishes, event by event as each is acknowledged (the topic echo comes later and is ignored by event id). Also tells
 * which experiments were already judged, so a redelivered outcome is not judged again, and which published wins still
 * lack the event that settles them, so it can be sent.
 */
@ApplicationScoped
public class ChampionBook extends TopicProjection {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final Map<String, EvaluatorState> champions = new ConcurrentHashMap<>();
    private final Set<UUID> applied = ConcurrentHashMap.newKeySet();
    private final Set<UUID> judgedExperiments = ConcurrentHashMap.newKeySet();
    /** Per study, its latest NEW_CHAMPION evaluation event while nothing has settled it (EvaluatorState.lastWin). */
    private final Map<String, EventEnvelope> unsettledWins = new ConcurrentHashMap<>();
    /** Not this object's monitor: {@link #apply} takes that on the reader thread, which a decision may wait for. */
    private final ReentrantLock deciding = new ReentrantLock();

    @Override
    protected String purpose() {
        return "evaluations";
    }

    @Override
    protected List<String> topics() {
        return List.of(Topics.EVALUATIONS, Topics.STUDIES);
    }

    /** The study's state, once the book has read everything decided before this instance started. */
    public EvaluatorState state(String studyId) {
        ready();
        return champions.getOrDefault(studyId, EvaluatorState.EMPTY);
    }

    public boolean judged(UUID experimentId) {
        ready();
        return judgedExperiments.contains(experimentId);
    }

    /**
     * Runs one decision (read a study's state, publish, record what was published) while no other runs.
     * Experiment outcomes and approvals arrive on different channels, so without this an approval could
     * promote a candidate while an outcome of the same study is being judged against the old champion.
     */
    public <T> T exclusively(Supplier<T> decision) {
        deciding.lock();
        try {
            return decision.get();
        } finally {
            deciding.unlock();
        }
    }

    /** Records this instance's own decisions (and, from the reader thread, the topic's). */
    @Override
    public synchronized void apply(EventEnvelope event) {
        if (!applied.add(event.eventId())) {
            return;
        }
        if (event.payload() instanceof EvaluationCompleted evaluation) {
            judgedExperiments.add(evaluation.experimentId());
        }
        EvaluatorState after = champions.compute(event.studyId(), (id, state) ->
                EvaluatorState.evolve(state == null ? EvaluatorState.EMPTY : state, event));
        if (after.lastWin() == null) {
            unsettledWins.remove(event.studyId());
        } else if (event.payload() instanceof EvaluationCompleted evaluation
                && evaluation.evaluationId().equals(after.lastWin().evaluationId())) {
            unsettledWins.put(event.studyId(), event);
        }
    }

    /**
     * The study's published NEW_CHAMPION evaluation whose ChampionChanged or PromotionRequested was not published
     * (yet): what {@link dev.seedloop.evaluator.domain.EvaluationDecider#followUpOwed} completes.
     */
    public Optional<EventEnvelope> unsettledWin(String studyId) {
        ready();
        return Optional.ofNullable(unsettledWins.get(studyId));
    }

    /** The studies with an {@linkplain #unsettledWin unsettled win}. */
    public Set<String> studiesWithUnsettledWins() {
        ready();
        return Set.copyOf(unsettledWins.keySet());
    }

    private void ready() {
        if (!view().awaitCaughtUp(CATCH_UP)) {
            throw new TransientFailure("the evaluations and studies topics could not be read within "
                    + CATCH_UP.toSeconds() + " s; refusing to judge without knowing the champions");
        }
    }
}
