package dev.seedloop.events;

import java.util.List;
import java.util.Map;

/**
 * A version step that only added fields (or values a reader of the old version never saw): the old payload means the
 * same with the new fields null. Written out so the step is explicit in the chain and in the docs.
 */
final class AbsentFieldsUpcaster implements Upcaster {

    private final String type;
    private final int fromVersion;
    private final List<String> addedFields;

    AbsentFieldsUpcaster(String type, int fromVersion, List<String> addedFields) {
        this.type = type;
        this.fromVersion = fromVersion;
        this.addedFields = List.copyOf(addedFields);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public int fromVersion() {
        return fromVersion;
    }

    @Override
    public Map<String, Object> upcast(Map<String, Object> payload) {
        addedFields.forEach(field -> payload.putIfAbsent(field, null));
        return payload;
    }
}
