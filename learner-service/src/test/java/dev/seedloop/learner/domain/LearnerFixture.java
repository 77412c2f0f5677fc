package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.List;

import dev.seedloop.events.EventEnvelope;

/**
 * Axon-style fixture: given past events, when one more arrives, then the learner emits these. What the learner
 * decided about the given events is folded back, as the recorder does (its first request among them).
 */
final class LearnerFixture {

    StudyState study = StudyState.EMPTY;
    StrategyState strategy;

    LearnerFixture(StrategySettings settings) {
        strategy = StrategyState.initial(settings);
    }

    LearnerFixture() {
        this(StrategySettings.DEFAULTS);
    }

    LearnerFixture given(EventEnvelope... events) {
        for (EventEnvelope e : events) {
            for (EventEnvelope decided : apply(e, e.occurredAt())) {
                given(decided);
            }
        }
        return this;
    }

    /** Folds the event into both projections and returns what the learner decides. */
    List<EventEnvelope> when(EventEnvelope event, Instant now) {
        return apply(event, now);
    }

    List<EventEnvelope> apply(EventEnvelope event, Instant now) {
        LearnerState before = new LearnerState(study, strategy);
        LearnerState after = Deciders.DEFAULT.evolve(before, event);
        study = after.study();
        strategy = after.strategy();
        return Deciders.DEFAULT.decide(before, after, event, now);
    }
}
