package dev.seedloop.gateway.domain;

import java.util.List;

/** A study spec was refused; every problem is listed with its path. */
public class SpecViolations extends RuntimeException {

    private final List<Violation> violations;

    public SpecViolations(List<Violation> violations) {
        super(violations.size() + " problem(s): " + violations);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }

    /** One problem: where ({@code budget.parallelism}) and what ({@code must be >= 1}). */
    public record Violation(String path, String message) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }
}
