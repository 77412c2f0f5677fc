package dev.seedloop.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
    private final Consumer<EventEnvelope> sink;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile TopicReader current;

    private TopicView(String bootstrapServers, String purpose, List<String> topics, EventCodec codec,
            Consumer<EventEnvelope> sink) {
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

    private void readForever() {
        while (!stopping) {
            try (TopicReader reader = new TopicReader(bootstrapServers, purpose, topics, codec)) {
                current = reader;
                while (!stopping) {
                    reader.poll(Duration.ofMillis(200), sink);
                    if (caughtUp.getCount() > 0 && reader.caughtUp()) {
                        caughtUp.countDown();
                    }
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

    @Override
    public void close() {
        stopping = true;
        TopicReader reader = current;
        if (reader != null) {
            reader.wakeup();
        }
    }
}
