package dev.seedloop.evaluator.domain;

/** Whether an experiment's output passed the study's validation checks; {@code detail} says why not. */
public record ValidationResult(boolean passed, String detail) {

    public static final ValidationResult PASSED = new ValidationResult(true, "");

    public ValidationResult {
        if (detail == null) {
            throw new IllegalArgumentException("detail must not be null");
        }
    }

    public static ValidationResult failed(String detail) {
        return new ValidationResult(false, detail);
    }
}
