package dev.seedloop.stack;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stopping process trees politely first (SIGTERM, so services shut down cleanly), then by force. */
final class Processes {

    private Processes() {
    }

    static void stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception timeout) {
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
