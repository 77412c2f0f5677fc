package dev.seedloop.events;

import java.util.Map;

/** StudyCreated v2 → v3: studies before forks were never forks. */
final class StudyCreatedV2Upcaster implements Upcaster {

    @Override
    public String type() {
        return EventTypes.STUDY_CREATED;
    }

    @Override
    public int fromVersion() {
        return 2;
    }

    @Override
    public Map<String, Object> upcast(Map<String, Object> payload) {
        payload.putIfAbsent("origin", null);
        return payload;
    }
}
