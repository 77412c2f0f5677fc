package dev.seedloop.events;

import java.util.Map;

/** StudyCreated v1 → v2: studies before governance were promoted automatically; their creator is unknown. */
final class StudyCreatedV1Upcaster implements Upcaster {

    @Override
    public String type() {
        return EventTypes.STUDY_CREATED;
    }

    @Override
    public int fromVersion() {
        return 1;
    }

    @Override
    public Map<String, Object> upcast(Map<String, Object> payload) {
        payload.putIfAbsent("promotion", "auto");
        payload.putIfAbsent("createdBy", null);
        return payload;
    }
}
