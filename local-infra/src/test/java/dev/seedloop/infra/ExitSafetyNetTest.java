package dev.seedloop.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The exit path is run directly: exiting the test JVM is what the supervisor's own tests do. */
class ExitSafetyNetTest {

    @Test
    void withoutAnOwnerTheServerIsStoppedAtExit() {
        AtomicInteger stops = new AtomicInteger();
        ExitSafetyNet net = new ExitSafetyNet("test", stops::incrementAndGet);

        net.onExit();

        assertEquals(1, stops.get());
        net.closed();
    }

    @Test
    void anOwnerThatClosesInItsOwnOrderIsNotRaced() throws Exception {
        AtomicInteger stops = new AtomicInteger();
        ExitSafetyNet net = new ExitSafetyNet("test", stops::incrementAndGet);
        net.deferTo(Duration.ofMinutes(5));
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        Thread exitPath = new Thread(() -> {
            waiting.countDown();
            net.onExit();
            returned.countDown();
        });

        exitPath.start();
        waiting.await();
        net.closed();

        assertTrue(returned.await(10, TimeUnit.SECONDS), "the net still waits after the owner closed");
        assertEquals(0, stops.get(), "the net stopped a server its owner had closed");
    }

    @Test
    void anOwnerThatNeverClosesStillLeavesNothingRunning() {
        AtomicInteger stops = new AtomicInteger();
        ExitSafetyNet net = new ExitSafetyNet("test", stops::incrementAndGet);
        net.deferTo(Duration.ofMillis(200));

        long started = System.nanoTime();
        net.onExit();

        assertEquals(1, stops.get());
        assertTrue(System.nanoTime() - started >= Duration.ofMillis(200).toNanos(), "did not give the owner its time");
        net.closed();
    }
}
