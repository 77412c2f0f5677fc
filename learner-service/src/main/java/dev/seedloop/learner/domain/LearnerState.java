package dev.seedloop.learner.domain;

/**
 * Everything the learner knows about one study: the study as folded from its events and the operator bandit
 * folded alongside. What {@link StudyDecider} evolves and decides from; immutable (both parts are).
 */
public record LearnerState(StudyState study, StrategyState strategy) {
}
