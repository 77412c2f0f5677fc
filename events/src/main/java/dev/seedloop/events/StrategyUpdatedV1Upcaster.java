package dev.seedloop.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * StrategyUpdated v1 → v2: v2 added {@code notes} and, to each observation, its code lineage ({@code tree},
 * {@code parents}, {@code output}, {@code failure}). A v1 request knew none of them: no notes, no tree, no output or
 * failure text, and no parents (v1 observations were parameter points whose parents the proposer never needed).
 */
final class StrategyUpdatedV1Upcaster implements Upcaster {

    @Override
    public String type() {
        return EventTypes.STRATEGY_UPDATED;
    }

    @Override
    public int fromVersion() {
        return 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> upcast(Map<String, Object> payload) {
        payload.putIfAbsent("notes", null);
        if (payload.get("observations") instanceof List<?> observations) {
            for (Object observation : observations) {
                if (observation instanceof Map<?, ?> fields) {
                    Map<String, Object> writable = (Map<String, Object>) fields;
                    writable.putIfAbsent("tree", null);
                    writable.putIfAbsent("parents", new ArrayList<>());
                    writable.putIfAbsent("output", null);
                    writable.putIfAbsent("failure", null);
                }
            }
        }
        return payload;
    }
}
