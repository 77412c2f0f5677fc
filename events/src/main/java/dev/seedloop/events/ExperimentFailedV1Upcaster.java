package dev.seedloop.events;

import java.util.Map;

/**
 * ExperimentFailed v1 → v2: v1 had no reason for a stop from outside, so the implementer reported an experiment
 * killed by a halt of its study as {@code crashed} with a detail starting {@code "halted:"}. Those are halts.
 */
final class ExperimentFailedV1Upcaster implements Upcaster {

    static final String V1_HALT_DETAIL_PREFIX = "halted:";

    @Override
    public String type() {
        return EventTypes.EXPERIMENT_FAILED;
    }

    @Override
    public int fromVersion() {
        return 1;
    }

    @Override
    public Map<String, Object> upcast(Map<String, Object> payload) {
        if ("crashed".equals(payload.get("reason")) && payload.get("detail") instanceof String detail
                && detail.startsWith(V1_HALT_DETAIL_PREFIX)) {
            payload.put("reason", "halted");
        }
        return payload;
    }
}
