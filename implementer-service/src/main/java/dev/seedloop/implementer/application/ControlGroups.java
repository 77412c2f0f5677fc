package dev.seedloop.implementer.application;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import dev.seedloop.implementer.domain.ExceededLimit;
import dev.seedloop.implementer.domain.RunLimits;

/**
 * Whole-experiment memory and process limits through cgroup v1: every run gets its own group under
 * {@code <root>/memory/<instance>/} and {@code <root>/pids/<instance>/} with {@code memory.limit_in_bytes}
 * (and the same {@code memory.memsw.limit_in_bytes}, so swap does not extend it) and {@code pids.max}. The
 * command is entered into both groups before it executes anything (a shell writes its own pid, then execs), so
 * every process and thread it ever starts is counted. The groups are written directly, without systemd or
 * cgroup tools, which is how our machines expose them (v1 controllers mounted under {@code /sys/fs/cgroup}).
 * {@code instance} keeps two implementers on one machine apart: each removes only its own leftovers.
 */
public final class ControlGroups {

    private static final Logger LOG = Logger.getLogger(ControlGroups.class);
    private static final AtomicLong RUNS = new AtomicLong();

    private final Path memory;
    private final Path pids;

    private ControlGroups(Path memory, Path pids) {
        this.memory = memory;
        this.pids = pids;
    }

    /**
     * This instance's groups below {@code root} (normally {@code /sys/fs/cgroup}), or why they cannot be used:
     * a controller is not mounted there as cgroup v1, or its directory is not writable by this user.
     */
    public static Result open(Path root, String instance) {
        if (!instance.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("instance must be a plain name but was " + instance);
        }
        Path memory = root.resolve("memory");
        Path pids = root.resolve("pids");
        for (Path controller : List.of(memory, pids)) {
            String limitFile = controller.equals(memory) ? "memory.limit_in_bytes" : "pids.max";
            if (!Files.exists(controller.resolve("cgroup.procs"))) {
                return new Result(null, "the cgroup v1 " + controller.getFileName() + " controller is not mounted at "
                        + controller);
            }
            try {
                Path group = Files.createDirectories(controller.resolve(instance));
                // Proves this user may create, limit and remove groups here, not just see the directory.
                Path probe = Files.createDirectory(group.resolve("probe-" + ProcessHandle.current().pid() + "-"
                        + RUNS.incrementAndGet()));
                try {
                    write(probe.resolve(limitFile), controller.equals(memory) ? Long.toString(64L << 20) : "8");
                } finally {
                    Files.delete(probe);
                }
            } catch (IOException | RuntimeException e) {
                return new Result(null, "cannot create and limit cgroups under " + controller + ": " + e);
            }
        }
        ControlGroups groups = new ControlGroups(memory.resolve(instance), pids.resolve(instance));
        return new Result(groups, null);
    }

    /** The groups, or why there are none. */
    public record Result(ControlGroups groups, String problem) {

        public Optional<ControlGroups> available() {
            return Optional.ofNullable(groups);
        }
    }

    /**
     * Kills what a run of an earlier life of this instance left in its groups and removes them. Called once at
     * start, when nothing of this JVM runs yet. A group whose name says another live process made it is left alone:
     * two implementers (or two test runs) sharing an instance name on one machine must not kill each other's runs.
     */
    public void removeLeftovers() {
        java.util.Set<Path> names = new java.util.TreeSet<>();
        for (Path parent : List.of(memory, pids)) {
            try (Stream<Path> children = Files.list(parent)) {
                children.filter(Files::isDirectory).filter(child -> !ownedByAnotherLiveProcess(child.getFileName()))
                        .forEach(child -> names.add(child.getFileName()));
            } catch (IOException e) {
                LOG.warnf("cannot list leftover cgroups in %s: %s", parent, e.getMessage());
            }
        }
        names.forEach(name -> new Run(memory.resolve(name), pids.resolve(name)).close());
        if (!names.isEmpty()) {
            LOG.infof("removed %d cgroup(s) left by an earlier run of this implementer", names.size());
        }
    }

    /** A run's group is named {@code <name>-<pid>-<n>} ({@link #create}): whether that pid is another live process. */
    static boolean ownedByAnotherLiveProcess(Path group) {
        Matcher owner = OWNER.matcher(group.toString());
        if (!owner.find()) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(owner.group(1));
        } catch (NumberFormatException tooLong) {
            return false;
        }
        return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static final Pattern OWNER = Pattern.compile("-(\\d+)-\\d+$");

    /** New groups for one run with the given limits; {@link Run#close()} removes them. */
    Run create(String name, RunLimits limits) throws IOException {
        // Unique across JVMs too: tests of several checkouts share one instance name.
        String unique = name.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + ProcessHandle.current().pid() + "-"
                + RUNS.incrementAndGet();
        Run run = new Run(memory.resolve(unique), pids.resolve(unique));
        try {
            Files.createDirectory(run.memory);
            Files.createDirectory(run.pids);
            long bytes = limits.memoryMiB() * 1024 * 1024;
            write(run.memory.resolve("memory.limit_in_bytes"), Long.toString(bytes));
            Path memsw = run.memory.resolve("memory.memsw.limit_in_bytes");
            if (Files.exists(memsw)) {
                write(memsw, Long.toString(bytes));
            }
            write(run.pids.resolve("pids.max"), Integer.toString(limits.maxProcesses()));
            return run;
        } catch (IOException | RuntimeException e) {
            run.close();
            throw e;
        }
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.US_ASCII);
    }

    /** The groups of one run. */
    static final class Run implements AutoCloseable {

        private final Path memory;
        private final Path pids;

        private Run(Path memory, Path pids) {
            this.memory = memory;
            this.pids = pids;
        }

        /**
         * Prefix that puts the command into both groups before it runs: the shell writes its own pid (then the
         * children it execs inherit the groups) and replaces itself with the command.
         */
        List<String> enter() {
            return List.of("/bin/sh", "-c", "echo $$ > \"$1\" && echo $$ > \"$2\" && shift 2 && exec \"$@\"",
                    "seedloop-enter", memory.resolve("cgroup.procs").toString(), pids.resolve("cgroup.procs").toString());
        }

        /** The limit the kernel enforced, if any: an OOM kill in the memory group, a refused fork in the pids group. */
        Optional<ExceededLimit> exceeded() {
            if (counter(memory.resolve("memory.oom_control"), "oom_kill") > 0) {
                return Optional.of(ExceededLimit.MEMORY);
            }
            if (counter(pids.resolve("pids.events"), "max") > 0) {
                return Optional.of(ExceededLimit.PROCESSES);
            }
            return Optional.empty();
        }

        /** Kills whatever is still in the groups (nothing, normally: the sandbox's pid namespace died) and removes them. */
        @Override
        public void close() {
            for (Path group : List.of(pids, memory)) {
                if (!Files.isDirectory(group)) {
                    continue;
                }
                for (int attempt = 0; attempt < 100; attempt++) {
                    List<Long> members = members(group);
                    members.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                    try {
                        Files.delete(group);
                        break;
                    } catch (IOException busy) {
                        // Killed processes leave the group a moment after SIGKILL.
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            LOG.warnf("cgroup %s not removed: interrupted", group);
                            return;
                        }
                    }
                }
                if (Files.isDirectory(group)) {
                    LOG.warnf("cgroup %s could not be removed; the next start removes it", group);
                }
            }
        }

        private static List<Long> members(Path group) {
            List<Long> pids = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(group.resolve("cgroup.procs"))) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.trim()));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // A group that is gone has no members.
            }
            return pids;
        }

        /** The value of {@code key} in a flat "key value" file, or 0 when absent. */
        private static long counter(Path file, String key) {
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length == 2 && f[0].equals(key)) {
                        return Long.parseLong(f[1]);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
            return 0;
        }
    }
}
