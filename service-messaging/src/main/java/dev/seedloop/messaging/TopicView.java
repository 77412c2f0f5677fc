package dev.seedloop.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.seedloop.events.EventCodec;
import dev.seedloop.events.EventEnvelope;

/**
 * A background reader that hands every event of some topics, from the beginning and then as they
 * come, to a sink: the way a stage service rebuilds what it must remember (study specs, its own past
 * decisions) on start, without a database. The sink runs on the reader thread and must be idempotent:
 * after a reconnect the topics are read again from the start.
 */
public final class TopicView implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicView.class);

    private final String bootstrapServers;
    private final String purpose;
    private final List<String> topics;
    private final EventCodec codec;
    private final BiConsumer<String, EventEnvelope> sink;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<Barrier> barriers = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile TopicReader current;

    /** A caller waiting until the view has read what the topics held when it asked. */
    private static final class Barrier {
        final CompletableFuture<Void> reached = new CompletableFuture<>();
        Map<TopicPartition, Long> ends;
    }

    private TopicView(String bootstrapServers, String purpose, List<String> topics, EventCodec codec,
            BiConsumer<String, EventEnvelope> sink) {
        this.bootstrapServers = bootstrapServers;
        this.purpose = purpose;
        this.topics = List.copyOf(topics);
        this.codec = codec;
        this.sink = sink;
        this.thread = new Thread(this::readForever, "seedloop-view-" + purpose);
        thread.setDaemon(true);
    }

    public static TopicView start(String bootstrapServers, String purpose, List<String> topics, EventCodec codec,
            Consumer<EventEnvelope> sink) {
        return start(bootstrapServers, purpose, topics, codec, (topic, event) -> sink.accept(event));
    }

    /** As {@link #start(String, String, List, EventCodec, Consumer)}, telling the sink which topic each event is from. */
    public static TopicView start(String bootstrapServers, String purpose, List<String> topics, EventCodec codec,
            BiConsumer<String, EventEnvelope> sink) {
        TopicView view = new TopicView(bootstrapServers, purpose, topics, codec, sink);
        view.thread.start();
        return view;
    }

    /**
     * Waits until the view has read everything the topics held when it started reading.
     *
     * @return false if that did not happen within the timeout
     */
    public boolean awaitCaughtUp(Duration timeout) {
        try {
            return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits until the view has read everything published to its topics before this call: whatever the caller
     * knows was published earlier (a study's creation, before anything that follows from it) is then in the view,
     * and what is not there was never published.
     *
     * @return false if that did not happen within the timeout (the broker is unreachable or the view far behind)
     */
    public boolean awaitLatest(Duration timeout) {
        Barrier barrier = new Barrier();
        barriers.add(barrier);
        try {
            barrier.reached.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        } finally {
            barriers.remove(barrier);
        }
    }

    private void readForever() {
        while (!stopping) {
            try (TopicReader reader = new TopicReader(bootstrapServers, purpose, topics, codec)) {
                current = reader;
                while (!stopping) {
                    reader.poll(Duration.ofMillis(200), sink);
                    if (caughtUp.getCount() > 0 && reader.caughtUp()) {
                        caughtUp.countDown();
                    }
                    resolveBarriers(reader);
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // close() asked us to stop
            } catch (RuntimeException e) {
                if (!stopping) {
                    LOG.warnf("view %s lost the broker (%s); reading again from the start", purpose, e.getMessage());
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    /** On the reader thread (the consumer is not thread-safe): fixes new barriers' ends, releases those reached. */
    private void resolveBarriers(TopicReader reader) {
        if (barriers.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> ends = null;
        for (Barrier barrier : barriers) {
            if (barrier.ends == null) {
                if (ends == null) {
                    ends = reader.endOffsets();
                }
                if (ends.isEmpty()) {
                    continue; // not assigned yet: the next poll joins
                }
                barrier.ends = ends;
            }
            if (reader.reached(barrier.ends)) {
                barrier.reached.complete(null);
                barriers.remove(barrier);
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        TopicReader reader = current;
        if (reader != null) {
            reader.wakeup();
        }
    }
}
