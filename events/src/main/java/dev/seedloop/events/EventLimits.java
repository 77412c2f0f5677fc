package dev.seedloop.events;

/**
 * Sizes every event must respect to travel at all. Kafka refuses a record over the producer's
 * {@code max.request.size} and the broker's {@code message.max.bytes} (both 1 MiB by default), and a refused record
 * fails the channel that sends it, stalling every study behind it. So each producer keeps what an event carries
 * within {@link #MAX_EVENT_BYTES} (trimming histories, bounding specs and metrics), and the shared publisher refuses
 * anything larger before it reaches Kafka, naming the event.
 */
public final class EventLimits {

    /** Largest encoded envelope (UTF-8 JSON) any service publishes: half the Kafka default, for headers and batching. */
    public static final int MAX_EVENT_BYTES = 512 * 1024;

    private EventLimits() {
    }
}
