package dev.seedloop.events;

/** An operator paused a study: no new proposals until {@link StudyResumed}; running experiments finish. */
public record StudyPaused(String by, String reason) implements EventPayload {

    public StudyPaused {
        Checks.notBlank(by, "by");
        Checks.notNull(reason, "reason");
    }
}
