package dev.seedloop.events;

import java.util.List;

/**
 * What a candidate must pass besides its metric: a tests command that must exit 0, and an optional
 * held-out metric measured by a separate command the proposer never sees the result of; a candidate whose
 * held-out value is worse than the champion's by more than {@code tolerance} (relative) is invalid.
 */
public record ValidationSpec(@Nullable List<String> command, @Nullable List<String> heldOutCommand,
                             @Nullable String heldOutMetric, double tolerance) {

    public ValidationSpec {
        command = command == null ? null : Checks.list(command, "command");
        heldOutCommand = heldOutCommand == null ? null : Checks.list(heldOutCommand, "heldOutCommand");
        if ((heldOutCommand == null) != (heldOutMetric == null)) {
            throw new IllegalArgumentException("heldOutCommand and heldOutMetric go together");
        }
        if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a finite number >= 0 but was " + tolerance);
        }
    }
}
