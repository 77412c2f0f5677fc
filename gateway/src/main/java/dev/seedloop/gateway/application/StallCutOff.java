package dev.seedloop.gateway.application;

import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.smallrye.mutiny.Multi;

/**
 * Cuts off a subscriber that stops taking items. A live stream is pulled: the next item is produced only once the
 * subscriber asked for it (the HTTP layer asks when the previous event has left for the socket), so a reader that never
 * reads holds at most what is in flight, never a growing buffer. It would hold that, and its stream, for as long as it
 * stays connected, though; so a subscriber whose demand has stayed at zero for longer than the stall timeout is failed
 * with {@link SlowSubscriber} and the upstream cancelled. Demand at zero means: an item was handed over and the
 * subscriber has not asked for the next (for a live stream: the event has not left for the socket, whose buffers the
 * client does not empty). An idle stream with nothing to send keeps its demand and is never cut.
 */
public final class StallCutOff {

    private StallCutOff() {
    }

    /** The subscriber did not take an item within the stall timeout. No stack trace: a verdict on the client. */
    public static final class SlowSubscriber extends RuntimeException {
        public SlowSubscriber(Duration stall) {
            super("the subscriber took no item for " + stall.toMillis() + " ms and was cut off", null, false, false);
        }
    }

    /**
     * {@code upstream}, failed with {@link SlowSubscriber} (and cancelled) once its subscriber's demand has been zero
     * for longer than {@code stall}; {@code onCut} runs once when that happens. {@code timer} checks every quarter of
     * {@code stall}, so a cut comes between {@code stall} and 1.25 times {@code stall} after the last hand-over.
     */
    public static <T> Multi<T> guard(Multi<T> upstream, Duration stall, ScheduledExecutorService timer, Runnable onCut) {
        return Multi.createFrom().publisher(subscriber -> upstream.subscribe(new Guard<>(subscriber, stall, timer, onCut)));
    }

    private static final class Guard<T> implements Flow.Subscriber<T>, Flow.Subscription {
        private final Flow.Subscriber<? super T> downstream;
        private final Duration stall;
        private final ScheduledExecutorService timer;
        private final Runnable onCut;
        private volatile Flow.Subscription upstream;
        private volatile ScheduledFuture<?> watch;
        // Guarded by this: what the subscriber asked for and has not received, since when it is zero, whether an
        // onNext is under way (a cut must never overlap one), and whether the stream is over.
        private long demand;
        private long zeroSince;
        private int emitting;
        private boolean done;

        Guard(Flow.Subscriber<? super T> downstream, Duration stall, ScheduledExecutorService timer, Runnable onCut) {
            this.downstream = downstream;
            this.stall = stall;
            this.timer = timer;
            this.onCut = onCut;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream = subscription;
            synchronized (this) {
                zeroSince = System.nanoTime();
            }
            long period = Math.max(10, stall.toMillis() / 4);
            watch = timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
            downstream.onSubscribe(this);
        }

        @Override
        public void request(long n) {
            synchronized (this) {
                if (done) {
                    return;
                }
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            }
            upstream.request(n);
        }

        @Override
        public void cancel() {
            synchronized (this) {
                done = true;
            }
            stopWatching();
            upstream.cancel();
        }

        @Override
        public void onNext(T item) {
            synchronized (this) {
                if (done) {
                    return;
                }
                emitting++;
                if (demand != Long.MAX_VALUE && --demand == 0) {
                    zeroSince = System.nanoTime();
                }
            }
            try {
                downstream.onNext(item);
            } finally {
                synchronized (this) {
                    emitting--;
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (finish()) {
                downstream.onError(failure);
            }
        }

        @Override
        public void onComplete() {
            if (finish()) {
                downstream.onComplete();
            }
        }

        private boolean finish() {
            synchronized (this) {
                if (done) {
                    return false;
                }
                done = true;
            }
            stopWatching();
            return true;
        }

        private void check() {
            synchronized (this) {
                if (done || demand > 0 || emitting > 0 || System.nanoTime() - zeroSince < stall.toNanos()) {
                    return;
                }
                done = true;
            }
            stopWatching();
            upstream.cancel();
            onCut.run();
            downstream.onError(new SlowSubscriber(stall));
        }

        private void stopWatching() {
            ScheduledFuture<?> scheduled = watch;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
