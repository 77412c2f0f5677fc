package dev.seedloop.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component of a payload or value record that may be {@code null}.
 *
 * <p>Every component without this marker is required: the constructors reject {@code null} and
 * {@link EventCodec} reports a missing or null JSON field as an {@link EventDecodingException}
 * naming the field path. Retained at runtime because the codec reads it reflectively.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Nullable {
}
