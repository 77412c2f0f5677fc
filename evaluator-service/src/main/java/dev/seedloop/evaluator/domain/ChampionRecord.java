package dev.seedloop.evaluator.domain;

import java.util.UUID;

import dev.seedloop.events.MetricSummary;

/**
 * The current champion as the evaluator needs it for the next comparison. The summary's n, mean
 * and standard deviation are sufficient statistics for Welch's test, so the record can be rebuilt
 * exactly from published {@code EvaluationCompleted} events without the raw repeat values.
 * {@code heldOut} is null when the champion had no held-out measurement.
 */
public record ChampionRecord(UUID proposalId, UUID evaluationId, MetricSummary summary, Double heldOut) {

    public ChampionRecord {
        if (proposalId == null || evaluationId == null || summary == null) {
            throw new IllegalArgumentException("proposalId, evaluationId and summary are required");
        }
    }
}
