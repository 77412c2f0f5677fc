package dev.seedloop.implementer.application;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import dev.seedloop.implementer.domain.ExceededLimit;
import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RunLimits;

/**
 * Starts a prepared command line, enforces the wall timeout and the output cap from outside, and
 * collects tails and usage. Shared by the executors; what they differ in is the command line.
 */
final class CommandWatchdog {

    /** Bytes of stdout kept for the metrics protocol; the metrics line must be within them. */
    static final int STDOUT_TAIL_BYTES = 256 * 1024;
    static final int LOG_TAIL_BYTES = 64 * 1024;
    private static final long POLL_MILLIS = 50;

    private CommandWatchdog() {
    }

    /** A whole-experiment limit the executor can see reached from outside (a control group, the workspace's volume). */
    @FunctionalInterface
    interface LimitWatch {

        LimitWatch NONE = () -> Optional.empty();

        Optional<ExceededLimit> exceeded();
    }

    /**
     * @param gnuTime wrap the command in GNU time for exact usage; useless around a pid namespace,
     *                whose processes are not reaped by the wrapped process, so only the sampled
     *                figures are used then
     */
    static RawRun run(List<String> argv, Path dir, Map<String, String> env, RunLimits limits, boolean gnuTime)
            throws InterruptedException {
        return run(argv, dir, env, limits, gnuTime, LimitWatch.NONE);
    }

    /**
     * @param watch polled with the wall clock: a limit it reports reached kills the run at once (the process tree;
     *              under bubblewrap the whole pid namespace) and is reported in {@link RawRun#exceeded()}
     */
    static RawRun run(List<String> argv, Path dir, Map<String, String> env, RunLimits limits, boolean gnuTime,
                      LimitWatch watch) throws InterruptedException {
        Path usageFile;
        try {
            usageFile = Files.createTempFile("seedloop-usage-", ".txt");
            Files.delete(usageFile);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create usage file", e);
        }
        List<String> full = new ArrayList<>(gnuTime ? UsageProbe.gnuTimePrefix(usageFile) : List.of());
        full.addAll(argv);
        try {
            return supervise(full, dir, env, limits, usageFile, watch);
        } finally {
            try {
                Files.deleteIfExists(usageFile);
            } catch (IOException ignored) {
                // A leftover temp file is harmless.
            }
        }
    }

    private static RawRun supervise(List<String> argv, Path dir, Map<String, String> env, RunLimits limits,
                                    Path usageFile, LimitWatch watch) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile())
                .redirectInput(new File("/dev/null"));
        pb.environment().clear();
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return new RawRun(127, false, false, "", "cannot start " + argv.get(0) + ": " + e.getMessage(),
                    0, 0, 0);
        }
        TailBuffer stdout = new TailBuffer(STDOUT_TAIL_BYTES);
        TailBuffer log = new TailBuffer(LOG_TAIL_BYTES);
        AtomicLong total = new AtomicLong();
        AtomicBoolean flooded = new AtomicBoolean();
        Thread out = pump(process.getInputStream(), stdout, log, total, flooded, limits.maxOutputBytes());
        Thread err = pump(process.getErrorStream(), null, log, total, flooded, limits.maxOutputBytes());

        UsageProbe sampler = new UsageProbe();
        long deadline = start + limits.wallTimeout().toNanos();
        boolean timedOut = false;
        Optional<ExceededLimit> exceeded = Optional.empty();
        try {
            while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                sampler.sample(process.toHandle());
                if (flooded.get()) {
                    killTree(process);
                    break;
                }
                exceeded = watch.exceeded();
                if (exceeded.isPresent()) {
                    killTree(process);
                    break;
                }
                if (System.nanoTime() >= deadline) {
                    timedOut = true;
                    killTree(process);
                    break;
                }
            }
            process.waitFor();
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (exceeded.isEmpty() && !timedOut && !flooded.get()) {
            // The run may have ended by itself after the kernel enforced a limit (a child OOM-killed, a fork
            // refused, a write that hit the volume's end) before the last poll saw it.
            exceeded = watch.exceeded();
        }
        // A process that escaped the tree (double fork without a pid namespace) may keep the
        // pipes open; do not wait for it forever.
        joinOrAbandon(out, process.getInputStream());
        joinOrAbandon(err, process.getErrorStream());

        long[] exact = UsageProbe.readGnuTime(usageFile);
        // GNU time misses orphans reaped elsewhere, sampling misses short-lived processes: take the larger.
        long cpu = Math.max(exact != null ? exact[0] : 0, sampler.cpuMillis());
        long rss = Math.max(exact != null ? exact[1] : 0, sampler.maxRssKiB());
        return new RawRun(process.exitValue(), timedOut, flooded.get() && !timedOut, stdout.toString(),
                log.toString(), wallMillis, cpu, rss, null, exceeded.orElse(null));
    }

    private static Thread pump(InputStream in, TailBuffer stdout, TailBuffer log, AtomicLong total,
                               AtomicBoolean flooded, long cap) {
        Thread t = Thread.ofPlatform().daemon().name("seedloop-run-output").start(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    long before = total.getAndAdd(n);
                    int keep = (int) Math.max(0, Math.min(n, cap - before));
                    if (stdout != null) {
                        stdout.append(buf, 0, keep);
                    }
                    log.append(buf, 0, keep);
                    if (before + n > cap) {
                        flooded.set(true);
                        // Keep draining so the writer is not blocked before it is killed.
                    }
                }
            } catch (IOException ignored) {
                // Stream closed after the process was killed or abandoned.
            }
        });
        return t;
    }

    private static void joinOrAbandon(Thread reader, InputStream in) throws InterruptedException {
        reader.join(2000);
        if (reader.isAlive()) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Closing is best effort; the daemon thread dies with the stream.
            }
        }
    }

    /**
     * Kills descendants first so a wrapper such as GNU time can still report usage, then the
     * root, repeating while new children keep appearing.
     */
    static void killTree(Process process) throws InterruptedException {
        ProcessHandle root = process.toHandle();
        for (int round = 0; round < 100; round++) {
            List<ProcessHandle> descendants;
            try (Stream<ProcessHandle> d = root.descendants()) {
                descendants = d.toList();
            }
            if (descendants.isEmpty() && !process.isAlive()) {
                return;
            }
            descendants.forEach(ProcessHandle::destroyForcibly);
            if (round >= 5 || descendants.isEmpty()) {
                process.destroyForcibly();
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
    }
}
