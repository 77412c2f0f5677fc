package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.List;

import dev.seedloop.events.EventEnvelope;

/**
 * The learner's decider for one study: {@link #initial()}, {@link #evolve} and {@link #decide}, the one way the live
 * recorder, the replay and the tests fold a study and ask what follows. Evolving is total over every event type and
 * idempotent per event id (a redelivery, or an event of a team stream, changes nothing); deciding is pure (the clock
 * is passed in, ids derive from the cause).
 *
 * <p>To process an event: {@code after = evolve(before, e); out = decide(before, after, e, now)}. A replay folds
 * many events with {@link #fold}, which applies each in place and gives event for event what {@code evolve} gives:
 * {@code evolve} returns a new immutable state per event, which copies what changed, while a fold keeps one working
 * state for the whole log.
 *
 * <p>The parts: {@link StudyFold} folds the study, {@link StrategyFold} the operator bandit (reading the study as it
 * was before the event), {@link LearnerDecider} holds the decision rules. {@code sizes} measures what a decision
 * carries as the event codec will write it (histories are cut to fit an event), so that the domain needs no codec.
 * Immutable and thread-safe.
 */
public final class StudyDecider {

    private final StrategySettings settings;
    private final EncodedSize sizes;

    public StudyDecider(StrategySettings settings, EncodedSize sizes) {
        this.settings = settings;
        this.sizes = sizes;
    }

    /** A study before its first event. */
    public LearnerState initial() {
        return new LearnerState(StudyState.EMPTY, StrategyState.initial(settings));
    }

    /** The state after {@code event}; the same instance when the event changes nothing. */
    public LearnerState evolve(LearnerState state, EventEnvelope event) {
        StudyState study = StudyFold.evolve(state.study(), event);
        if (study == state.study()) {
            return state;
        }
        // The strategy reads the study as it was before the event.
        return new LearnerState(study, StrategyFold.evolve(state.strategy(), state.study(), event));
    }

    /**
     * What the learner says after {@code cause}, given the states before and after it was {@link #evolve evolved}:
     * a StudyCompleted, a StrategyUpdated, or nothing (a redelivery, an event that is no decision point).
     */
    public List<EventEnvelope> decide(LearnerState before, LearnerState after, EventEnvelope cause, Instant now) {
        return LearnerDecider.decide(before.study(), after.study(), after.strategy(), cause, now, sizes);
    }

    /** A fold of many events in one working state, from {@code from} (a snapshot's state, or {@link #initial()}). */
    public LearnerFold fold(LearnerState from) {
        return new LearnerFold(from);
    }

    /** A fold from {@link #initial()}. */
    public LearnerFold fold() {
        return fold(initial());
    }

    /** How this decider measures what decisions carry. */
    public EncodedSize sizes() {
        return sizes;
    }
}
