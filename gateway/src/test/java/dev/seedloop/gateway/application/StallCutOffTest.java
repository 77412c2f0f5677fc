package dev.seedloop.gateway.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;

/**
 * The live stream's policy towards a reader that stops reading, with fake subscribers: nothing is produced that was not
 * asked for (the per-subscriber buffer is what is in flight), a reader that stops taking items is cut off once the
 * stall timeout has passed, and one that reads slowly but steadily, or idles with nothing to read, is not.
 */
class StallCutOffTest {

    private static final Duration STALL = Duration.ofMillis(300);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /** Requests {@code first} items, then one more each time it is told to; records what it gets. */
    private static class FakeReader implements Flow.Subscriber<Integer> {
        final List<Integer> items = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> failed = new CompletableFuture<>();
        final CompletableFuture<Void> completed = new CompletableFuture<>();
        private final long first;
        volatile Flow.Subscription subscription;

        FakeReader(long first) {
            this.first = first;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(first);
        }

        @Override
        public void onNext(Integer item) {
            items.add(item);
        }

        @Override
        public void onError(Throwable failure) {
            failed.complete(failure);
        }

        @Override
        public void onComplete() {
            completed.complete(null);
        }
    }

    @Test
    void aReaderThatStopsTakingItemsIsCutOffAndHeldOnlyWhatItAskedFor() throws Exception {
        AtomicLong produced = new AtomicLong();
        AtomicInteger cut = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        // An endless source that counts what it is made to produce: the buffer bound is that nothing else is made.
        Multi<Integer> source = Multi.createFrom().<Integer, Integer>generator(() -> 0, (n, emitter) -> {
            produced.incrementAndGet();
            emitter.emit(n);
            return n + 1;
        }).onCancellation().invoke(cancelled::incrementAndGet);
        FakeReader reader = new FakeReader(3);
        long start = System.nanoTime();

        StallCutOff.guard(source, STALL, timer, cut::incrementAndGet).subscribe(reader);

        Throwable failure = reader.failed.get(5, TimeUnit.SECONDS);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(failure).isInstanceOf(StallCutOff.SlowSubscriber.class);
        assertThat(waited).isGreaterThanOrEqualTo(STALL.toMillis());
        assertThat(reader.items).containsExactly(0, 1, 2);
        assertThat(produced).hasValue(3);
        assertThat(cut).hasValue(1);
        assertThat(cancelled).as("the source is cancelled, so it holds nothing for the reader").hasValue(1);
        assertThat(reader.completed).isNotDone();
    }

    @Test
    void aSlowButSteadyReaderGetsEverythingAndAnIdleOneIsNotCut() throws Exception {
        AtomicInteger cut = new AtomicInteger();
        FakeReader reader = new FakeReader(1) {
            @Override
            public void onNext(Integer item) {
                super.onNext(item);
                // Takes each item well within the stall timeout, from another thread, as the HTTP layer does.
                timer.schedule(() -> subscription.request(1), STALL.toMillis() / 3, TimeUnit.MILLISECONDS);
            }
        };
        StallCutOff.guard(Multi.createFrom().range(0, 8), STALL, timer, cut::incrementAndGet).subscribe(reader);
        reader.completed.get(10, TimeUnit.SECONDS);
        assertThat(reader.items).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);

        // Nothing to send for three stall timeouts: demand stays, and the reader is still there when an item comes.
        FakeReader idle = new FakeReader(1);
        CompletableFuture<Integer> later = new CompletableFuture<>();
        StallCutOff.guard(Multi.createFrom().completionStage(later), STALL, timer, cut::incrementAndGet)
                .subscribe(idle);
        timer.schedule(() -> later.complete(42), STALL.toMillis() * 3, TimeUnit.MILLISECONDS);
        idle.completed.get(10, TimeUnit.SECONDS);
        assertThat(idle.items).containsExactly(42);
        assertThat(idle.failed).isNotDone();
        assertThat(cut).hasValue(0);
    }
}
