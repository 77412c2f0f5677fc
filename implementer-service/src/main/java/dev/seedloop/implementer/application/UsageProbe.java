package dev.seedloop.implementer.application;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time and peak RSS of a run. Exact when GNU time wraps the command (its rusage covers every
 * descendant that was waited for, which a pid namespace guarantees); otherwise a sampled
 * approximation over the live process tree that misses processes living shorter than the sampling
 * interval.
 */
final class UsageProbe {

    static final Path GNU_TIME = Path.of("/usr/bin/time");
    static final String FORMAT = "SEEDLOOP_USAGE %e %U %S %M";

    private final Map<Long, Long> cpuByPid = new HashMap<>();
    private long maxRssKiB;

    /** Wrapper arguments that make GNU time write usage to {@code file}, or empty when it is missing. */
    static List<String> gnuTimePrefix(Path file) {
        if (!Files.isExecutable(GNU_TIME)) {
            return List.of();
        }
        return List.of(GNU_TIME.toString(), "-f", FORMAT, "-o", file.toString());
    }

    /** {cpuMillis, maxRssKiB} from a GNU time output file, or null when it was not written. */
    static long[] readGnuTime(Path file) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            List<String> lines = Files.readAllLines(file);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String[] f = lines.get(i).trim().split("\\s+");
                if (f.length == 5 && f[0].equals("SEEDLOOP_USAGE")) {
                    long cpu = Math.round((Double.parseDouble(f[2]) + Double.parseDouble(f[3])) * 1000);
                    return new long[] {cpu, Long.parseLong(f[4])};
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    void sample(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        try (Stream<ProcessHandle> d = root.descendants()) {
            d.forEach(tree::add);
        }
        for (ProcessHandle p : tree) {
            p.info().totalCpuDuration().map(Duration::toMillis)
                    .ifPresent(ms -> cpuByPid.merge(p.pid(), ms, Math::max));
            maxRssKiB = Math.max(maxRssKiB, peakRssKiB(p.pid()));
        }
    }

    long cpuMillis() {
        return cpuByPid.values().stream().mapToLong(Long::longValue).sum();
    }

    long maxRssKiB() {
        return maxRssKiB;
    }

    private static long peakRssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process may have exited between listing and reading.
        }
        return 0;
    }
}
