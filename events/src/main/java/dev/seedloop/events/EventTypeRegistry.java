package dev.seedloop.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable set of {@link EventType}s (current versions only). {@link EventTypes} holds the
 * production registry; tests build their own (e.g. with {@link #with}) to exercise the codec with
 * extra types. Invariant: names and payload classes are each unique.
 */
public final class EventTypeRegistry {

    private final List<EventType> all;
    private final Map<String, EventType> byName = new LinkedHashMap<>();
    private final Map<Class<?>, EventType> byClass = new LinkedHashMap<>();

    public EventTypeRegistry(List<EventType> types) {
        this.all = Checks.list(types, "types");
        for (EventType t : all) {
            if (byName.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate event type name '" + t.name() + "'");
            }
            if (byClass.putIfAbsent(t.payloadClass(), t) != null) {
                throw new IllegalArgumentException("payload class " + t.payloadClass().getSimpleName()
                        + " registered twice ('" + byClass.get(t.payloadClass()).name() + "', '" + t.name() + "')");
            }
        }
    }

    /** A new registry with these types added; replacing an entry is not allowed, so no silent overrides. */
    public EventTypeRegistry with(EventType... extra) {
        List<EventType> merged = new ArrayList<>(all);
        merged.addAll(Arrays.asList(extra));
        return new EventTypeRegistry(merged);
    }

    /** Every registered type, in registration order. */
    public List<EventType> all() {
        return Collections.unmodifiableList(all);
    }

    /** @throws IllegalArgumentException if the class is not registered */
    public EventType forPayload(Class<? extends EventPayload> payloadClass) {
        EventType t = byClass.get(payloadClass);
        if (t == null) {
            throw new IllegalArgumentException("no event type registered for payload class "
                    + (payloadClass == null ? "null" : payloadClass.getName()));
        }
        return t;
    }

    public Optional<EventType> forName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** @throws IllegalArgumentException if the name is not registered */
    public int currentVersion(String name) {
        return forName(name).orElseThrow(() -> new IllegalArgumentException("unknown event type '" + name + "'")).version();
    }
}
