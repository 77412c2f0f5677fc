package dev.seedloop.events;

/** An operator resumed a paused study. */
public record StudyResumed(String by) implements EventPayload {

    public StudyResumed {
        Checks.notBlank(by, "by");
    }
}
