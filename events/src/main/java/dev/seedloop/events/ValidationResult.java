package dev.seedloop.events;

/** The outcome of a study's validation command on a candidate, with why it failed and the output tail. */
public record ValidationResult(boolean passed, String detail, String logTail) {

    public ValidationResult {
        Checks.notNull(detail, "detail");
        Checks.notNull(logTail, "logTail");
    }
}
