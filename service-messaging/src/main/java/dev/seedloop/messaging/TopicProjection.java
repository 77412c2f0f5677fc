package dev.seedloop.messaging;

import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;

/**
 * Base of a service's in-memory projection of some topics (ADR 0007): the reader starts on first use,
 * reads from offset 0 and keeps tailing, and stops with the bean. Subclasses say which topics and how
 * an event changes what they remember; {@link #apply} runs on the reader thread and must be idempotent.
 */
public abstract class TopicProjection {

    private volatile TopicView view;

    @Inject
    EventCodec codec;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Names the reader thread and its consumer group prefix. */
    protected abstract String purpose();

    protected abstract List<String> topics();

    protected abstract void apply(EventEnvelope event);

    /** The running view, started on first call. */
    protected TopicView view() {
        TopicView current = view;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (view == null) {
                view = TopicView.start(bootstrapServers, purpose(), topics(), codec, this::apply);
            }
            return view;
        }
    }

    @PreDestroy
    void stopView() {
        TopicView current = view;
        if (current != null) {
            current.close();
        }
    }
}
