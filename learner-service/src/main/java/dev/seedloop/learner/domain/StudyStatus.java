package dev.seedloop.learner.domain;

/** Lifecycle of a study as the learner sees it. HALTED and COMPLETED are terminal. */
public enum StudyStatus {
    /** No StudyCreated seen yet. */
    NEW,
    CREATED,
    RUNNING,
    PAUSED,
    HALTED,
    COMPLETED;

    public boolean isTerminal() {
        return this == HALTED || this == COMPLETED;
    }
}
