package dev.seedloop.benchmarks.support;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/** The most heap in use seen since the last reset, sampled every 5 ms by a daemon thread. */
public final class HeapPeak {

    private final AtomicLong peak = new AtomicLong();

    public HeapPeak() {
        Thread sampler = new Thread(() -> {
            var memory = ManagementFactory.getMemoryMXBean();
            while (true) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    public void reset() {
        peak.set(0);
    }

    public long peak() {
        return peak.get();
    }
}
