package dev.seedloop.events;

import java.util.Map;

/**
 * EvaluationCompleted v1 → v2: v1 had no verdict for a candidate that passed validation and improved the objective
 * but degraded the held-out metric; the evaluator called it {@code invalid} with a reason containing
 * {@code "held-out degraded"} and a summary (a truly invalid run has none, or failed validation).
 */
final class EvaluationCompletedV1Upcaster implements Upcaster {

    static final String V1_HELD_OUT_REASON = "held-out degraded";

    @Override
    public String type() {
        return EventTypes.EVALUATION_COMPLETED;
    }

    @Override
    public int fromVersion() {
        return 1;
    }

    @Override
    public Map<String, Object> upcast(Map<String, Object> payload) {
        if ("invalid".equals(payload.get("verdict")) && Boolean.TRUE.equals(payload.get("validationPassed"))
                && payload.get("summary") != null && payload.get("reason") instanceof String reason
                && reason.contains(V1_HELD_OUT_REASON)) {
            payload.put("verdict", "held-out-degraded");
        }
        return payload;
    }
}
