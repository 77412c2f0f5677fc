package dev.seedloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.EventType;
import dev.seedloop.events.EventTypes;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A payload type missing from the native-image reflection list would fail only in production. */
class EventReflectionTest {

    @Test
    void everyRegisteredPayloadTypeIsKeptForReflection() {
        Set<Class<?>> kept = new HashSet<>(Arrays.asList(
                EventReflection.class.getAnnotation(RegisterForReflection.class).targets()));

        assertThat(kept).containsAll(EventTypes.all().stream().<Class<?>>map(EventType::payloadClass).toList());
        for (Class<?> payload : EventTypes.all().stream().<Class<?>>map(EventType::payloadClass).toList()) {
            for (var component : payload.getRecordComponents()) {
                Class<?> type = component.getType();
                if (type.getPackageName().equals("dev.seedloop.events")) {
                    assertThat(kept).as(payload.getSimpleName() + "." + component.getName()).contains(type);
                }
            }
        }
    }

    @Test
    void everyQueryAndViewRecordIsKeptForReflection() {
        Set<Class<?>> kept = new HashSet<>(Arrays.asList(
                EventReflection.class.getAnnotation(RegisterForReflection.class).targets()));

        assertThat(kept).containsAll(Arrays.asList(dev.seedloop.queries.Views.class.getDeclaredClasses()));
        assertThat(kept).containsAll(Arrays.asList(dev.seedloop.queries.Query.class.getPermittedSubclasses()));
    }
}
