package dev.seedloop.learner.domain;

import dev.seedloop.events.EventEnvelope;

/**
 * {@link StudyDecider#evolve} over many events in one working state, made by {@link StudyDecider#fold}: the replay
 * path. {@code evolve} returns a new immutable state per event, which copies what the
 * study has accumulated (O(events) per event, O(events²) per replay); this applies each event in place
 * and freezes a copy only when asked, so replaying a log costs O(events) whatever its length. Event for
 * event it gives exactly what {@code evolve} gives, redeliveries and team-stream events included.
 *
 * <p>Not thread-safe: one fold, one thread at a time.
 */
public final class LearnerFold {

    private final StudyState.Builder study;
    private final StrategyState.Builder strategy;
    /** The frozen states, until the next applied event changes them. */
    private StudyState frozenStudy;
    private StrategyState frozenStrategy;

    /** Continues folding from a state (a snapshot's, or the initial one). */
    LearnerFold(LearnerState from) {
        this.study = from.study().toBuilder();
        this.strategy = from.strategy().toBuilder();
        this.frozenStudy = from.study();
        this.frozenStrategy = from.strategy();
    }

    /** Applies one event; false when the folds ignore it (a redelivery, or an event of a team stream). */
    public boolean apply(EventEnvelope event) {
        if (StudyFold.ignores(study.hasSeen(event.eventId()), event)) {
            return false;
        }
        // The strategy reads the study as it was before the event, so it goes first.
        StrategyFold.apply(strategy, study, event);
        StudyFold.apply(study, event);
        frozenStudy = null;
        frozenStrategy = null;
        return true;
    }

    /** Events applied so far: for a fold of a study's stored log, the study sequence it has reached. */
    public long eventsApplied() {
        return study.applied.eventsApplied;
    }

    /** The state as folded so far (a frozen copy; folding may go on). */
    public LearnerState state() {
        return new LearnerState(study(), strategy());
    }

    /** The study as folded so far (a frozen copy; folding may go on). */
    public StudyState study() {
        if (frozenStudy == null) {
            frozenStudy = study.build();
        }
        return frozenStudy;
    }

    /** The strategy as folded so far (a frozen copy; folding may go on). */
    public StrategyState strategy() {
        if (frozenStrategy == null) {
            frozenStrategy = strategy.build();
        }
        return frozenStrategy;
    }
}
