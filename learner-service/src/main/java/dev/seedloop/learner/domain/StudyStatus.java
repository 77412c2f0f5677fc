package dev.seedloop.learner.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Lifecycle of a study as the learner sees it. HALTED and COMPLETED are terminal. Views spell the
 * statuses of existing studies in lower case ({@link WireNames}); NEW never appears in one.
 */
public enum StudyStatus {
    /** No StudyCreated seen yet. */
    NEW,
    CREATED,
    RUNNING,
    PAUSED,
    HALTED,
    COMPLETED;

    /** The statuses a team's quota counts as occupying a slot. */
    public static final List<StudyStatus> ACTIVE = List.of(CREATED, RUNNING, PAUSED);

    public boolean isTerminal() {
        return this == HALTED || this == COMPLETED;
    }

    /** The status a view names ({@code "running"}), if it is the view name of an existing study's status. */
    public static Optional<StudyStatus> fromView(String name) {
        return Arrays.stream(values()).filter(s -> s != NEW && WireNames.of(s).equals(name)).findFirst();
    }
}
