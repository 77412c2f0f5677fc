package dev.seedloop.stack.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.seedloop.stack.StackLayout;
import dev.seedloop.stack.StackStatus;

/**
 * What each process of the local stack costs: its resident memory now and at its peak ({@code VmRSS} and
 * {@code VmHWM} of {@code /proc/PID/status}, over the process and its children) and, for a service of the run
 * in {@code supervisor.log}, how long it took from its launch to its first ready answer (the supervisor's own
 * lines: it checks readiness every 0.5 s, so this is up to that much late) and what Quarkus says its start took.
 */
public final class ServiceFootprint {

    private static final Pattern SUPERVISOR_LINE = Pattern.compile("^(\\S+) supervisor: (?:started (\\S+) \\(pid"
            + "|(\\S+) is ready$)");
    private static final Pattern QUARKUS_STARTED = Pattern.compile("started in ([0-9.]+)s");

    private ServiceFootprint() {
    }

    /** One process: memory in MiB (NaN when unreadable), start in seconds (NaN when unknown). */
    public record Process(String name, long pid, double rssMiB, double peakRssMiB, double launchToReadySeconds,
            double quarkusStartSeconds) {
    }

    public static List<Process> measure(StackLayout layout) throws IOException {
        StackStatus status = StackStatus.read(layout.statusFile())
                .orElseThrow(() -> new IllegalStateException("no stack status at " + layout.statusFile()));
        Map<String, Double> launchToReady = launchToReady(layout.supervisorLog());
        return status.processes().stream().map(process -> {
            Map<String, Double> memory = treeMemory(process.pid());
            // The supervisor says an infrastructure process started only once it answers: no launch-to-ready there.
            boolean service = "service".equals(process.role());
            return new Process(process.name(), process.pid(), memory.getOrDefault("VmRSS", Double.NaN),
                    memory.getOrDefault("VmHWM", Double.NaN),
                    service ? launchToReady.getOrDefault(process.name(), Double.NaN) : Double.NaN,
                    service ? quarkusStart(layout.logs().resolve(process.name() + ".log")) : Double.NaN);
        }).toList();
    }

    public static void print(List<Process> processes, PrintStream out) {
        out.println("| process | RSS now (MiB) | peak RSS (MiB) | launch to ready (s) | Quarkus start (s) |");
        out.println("|---|---:|---:|---:|---:|");
        for (Process p : processes) {
            out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %s | %s |%n", p.name(), p.rssMiB(), p.peakRssMiB(),
                    orDash(p.launchToReadySeconds()), orDash(p.quarkusStartSeconds()));
        }
    }

    private static String orDash(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.1f", seconds);
    }

    /** From each process's first {@code started} line to its first {@code is ready} line after it. */
    static Map<String, Double> launchToReady(Path supervisorLog) throws IOException {
        Map<String, Double> seconds = new LinkedHashMap<>();
        if (!Files.isRegularFile(supervisorLog)) {
            return seconds;
        }
        Map<String, Instant> launched = new HashMap<>();
        for (String line : Files.readAllLines(supervisorLog)) {
            Matcher m = SUPERVISOR_LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            Instant at = Instant.parse(m.group(1));
            if (m.group(2) != null) {
                launched.putIfAbsent(m.group(2), at);
            } else if (launched.containsKey(m.group(3)) && !seconds.containsKey(m.group(3))) {
                seconds.put(m.group(3), Duration.between(launched.get(m.group(3)), at).toMillis() / 1e3);
            }
        }
        return seconds;
    }

    /** The last "started in N s" of the process's log (Quarkus's own figure for its latest start). */
    private static double quarkusStart(Path log) {
        if (!Files.isRegularFile(log)) {
            return Double.NaN;
        }
        double last = Double.NaN;
        try (var lines = Files.lines(log)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Matcher m = QUARKUS_STARTED.matcher(line);
                if (m.find()) {
                    last = Double.parseDouble(m.group(1));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return Double.NaN;
        }
        return last;
    }

    /**
     * Summed over the process and its descendants: Keycloak's pid is its start script's, its JVM a child; PostgreSQL's
     * backends are children of its postmaster (each counts the shared buffers it touched, so that sum is high).
     */
    private static Map<String, Double> treeMemory(long pid) {
        Map<String, Double> total = new HashMap<>(memory(pid));
        ProcessHandle.of(pid).ifPresent(root -> root.descendants().forEach(child ->
                memory(child.pid()).forEach((key, value) -> total.merge(key, value, Double::sum))));
        return total;
    }

    private static Map<String, Double> memory(long pid) {
        Map<String, Double> values = new HashMap<>();
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                String[] parts = line.split("\\s+");
                if ((parts[0].equals("VmRSS:") || parts[0].equals("VmHWM:")) && parts.length >= 2) {
                    values.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]) / 1024.0);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // Gone or not ours to read: the table says NaN.
        }
        return values;
    }
}
