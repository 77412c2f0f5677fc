package dev.seedloop.events;

/** An operator stopped a study for good: implementers cancel running experiments. Terminal. */
public record StudyHalted(String by, String reason) implements EventPayload {

    public StudyHalted {
        Checks.notBlank(by, "by");
        Checks.notNull(reason, "reason");
    }
}
