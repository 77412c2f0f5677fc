package dev.seedloop.learner.query.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.learner.domain.WireNames;
import dev.seedloop.queries.Views;

/**
 * One experiment's log view, folded from its ExperimentStarted/Completed/Failed events in store order:
 * running (no log tail yet) until an outcome arrives, then the outcome's log tail. The exit code is the
 * last repeat's; a failure reads {@code "<reason>: <detail>"}.
 */
public final class ExperimentLogs {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    private ExperimentLogs() {
    }

    /** Empty when none of the events concerns {@code experimentId}. */
    public static Optional<Views.ExperimentLogView> view(UUID experimentId, List<EventEnvelope> events) {
        Views.ExperimentLogView view = null;
        for (EventEnvelope event : events) {
            switch (event.payload()) {
                case ExperimentStarted s when s.experimentId().equals(experimentId) -> {
                    // An outcome stored before its start (they travel together, but be safe) stays the outcome.
                    if (view == null) {
                        view = new Views.ExperimentLogView(experimentId, s.proposalId(), RUNNING, null, null, null);
                    }
                }
                case ExperimentCompleted c when c.experimentId().equals(experimentId) ->
                        view = new Views.ExperimentLogView(experimentId, c.proposalId(), COMPLETED,
                                c.repeats().getLast().exitCode(), null, c.logTail());
                case ExperimentFailed f when f.experimentId().equals(experimentId) ->
                        view = new Views.ExperimentLogView(experimentId, f.proposalId(), FAILED, null,
                                WireNames.of(f.reason()) + ": " + f.detail(), f.logTail());
                default -> {
                }
            }
        }
        return Optional.ofNullable(view);
    }
}
