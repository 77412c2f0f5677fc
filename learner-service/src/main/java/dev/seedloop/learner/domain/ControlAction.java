package dev.seedloop.learner.domain;

/** The kinds of {@link Control}; their {@link WireNames} are the views' {@code action} values. */
public enum ControlAction {
    PAUSED,
    RESUMED,
    HALTED,
    APPROVED,
    REJECTED
}
