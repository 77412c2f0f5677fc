package dev.seedloop.messaging;

import java.time.Duration;
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

    /**
     * Applies an event read from {@code topic}; by default as {@link #apply(EventEnvelope)}. Override it when the
     * topic matters (an imported study's history, {@link ImportSlices}, against live events).
     */
    protected void apply(String topic, EventEnvelope event) {
        apply(event);
    }

    /** The running view, started on first call. */
    protected TopicView view() {
        TopicView current = view;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (view == null) {
                view = TopicView.start(bootstrapServers, purpose(), topics(), codec,
                        (String topic, EventEnvelope event) -> apply(topic, event));
            }
            return view;
        }
    }

    /**
     * Waits until this projection has read everything published to its topics before the call.
     *
     * @return false if that did not happen within {@code timeout}
     */
    public boolean awaitLatest(Duration timeout) {
        return view().awaitLatest(timeout);
    }

    /**
     * Waits until this projection has read what its topics held when it started.
     *
     * @return false if that did not happen within {@code timeout}
     */
    public boolean awaitCaughtUp(Duration timeout) {
        return view().awaitCaughtUp(timeout);
    }

    @PreDestroy
    void stopView() {
        TopicView current = view;
        if (current != null) {
            current.close();
        }
    }
}
