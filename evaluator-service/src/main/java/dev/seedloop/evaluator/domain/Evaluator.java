package dev.seedloop.evaluator.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.Services;
import dev.seedloop.events.Verdict;

/**
 * Decides evaluations. Pure; the evaluation id derives from the experiment, so a redelivered
 * experiment outcome yields the same evaluation.
 */
public final class Evaluator {

    private Evaluator() {
    }

    /** A failed experiment has no metric to compare: it is invalid, for the reason the implementer gave. */
    public static List<EventEnvelope> onExperimentFailed(EventEnvelope cause, ExperimentFailed failed, Instant now,
            String evaluatorSha256) {
        UUID evaluationId = EventIds.derived(failed.experimentId(), "evaluation");
        EvaluationCompleted evaluation = new EvaluationCompleted(evaluationId, failed.experimentId(),
                failed.proposalId(), Verdict.INVALID, "experiment failed: " + failed.reason() + " (" + failed.detail() + ")",
                null, null, false, evaluatorSha256);
        return List.of(cause.caused(EventIds.derived(evaluationId, "event"), now, Services.EVALUATOR, evaluation));
    }
}
