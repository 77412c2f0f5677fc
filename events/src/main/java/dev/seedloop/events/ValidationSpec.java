package dev.seedloop.events;

import java.util.List;

/**
 * What a candidate must pass besides its metric: a tests command that must exit 0, and an optional
 * held-out metric measured by a separate command the proposer never sees the result of; a candidate whose
 * held-out value is worse than the champion's by more than {@code tolerance} (relative) is invalid.
 *
 * <p>Since StudyCreated v4, {@code heldOutData} may name a tree (owned by the study's team) that is mounted for the
 * held-out command only: the experiment's sandbox never sees it.
 */
public record ValidationSpec(@Nullable List<String> command, @Nullable List<String> heldOutCommand,
                             @Nullable String heldOutMetric, double tolerance, @Nullable String heldOutData) {

    /** Without held-out data of its own. */
    public ValidationSpec(List<String> command, List<String> heldOutCommand, String heldOutMetric, double tolerance) {
        this(command, heldOutCommand, heldOutMetric, tolerance, null);
    }

    public ValidationSpec {
        if (heldOutData != null) {
            Checks.contentHash(heldOutData, "heldOutData");
            if (heldOutCommand == null) {
                throw new IllegalArgumentException("heldOutData is for the heldOutCommand, which is missing");
            }
        }
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
