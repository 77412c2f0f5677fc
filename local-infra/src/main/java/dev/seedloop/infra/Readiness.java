package dev.seedloop.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Small helpers shared by the servers: waiting for processes and reporting their logs. */
public final class Readiness {

    private Readiness() {
    }

    /** The last {@code maxBytes} of a log file, for error messages; never throws. */
    public static String tail(Path file, int maxBytes) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, raf.length() - maxBytes);
            raf.seek(start);
            byte[] bytes = new byte[(int) (raf.length() - start)];
            raf.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    /**
     * Asks a process to stop, then kills it (and whatever it spawned) if it has not gone within
     * {@code grace}. Returns once the process is gone.
     */
    public static void terminate(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // Fall through to the forcible path.
        }
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception ignored) {
                // A process that survives SIGKILL for 10 s is beyond our reach.
            }
        }
    }

    /**
     * Stops a process left behind by a JVM that died without cleaning up, if the first line of
     * {@code pidFile} names a live process whose command line contains {@code marker}.
     */
    public static void stopOrphan(Path pidFile, String marker, Duration grace) {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException unreadable) {
            return;
        }
        ProcessHandle.of(pid)
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .ifPresent(orphan -> terminate(orphan, grace));
    }

    /** Moves a log aside once it exceeds {@code maxBytes}, since restarts on one data dir keep appending. */
    public static void rotateIfLarger(Path log, long maxBytes) {
        try {
            if (Files.isRegularFile(log) && Files.size(log) > maxBytes) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ignored) {
            // Appending to a large log is harmless.
        }
    }

    /** Whether something accepts TCP connections on the loopback {@code port} right now. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Sleeps without forcing callers to handle interruption; the flag is preserved. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        }
    }
}
