package dev.seedloop.implementer.application;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.seedloop.implementer.domain.ResourceLimits;

/** Builds the {@code prlimit} prefix that applies per-process rlimits before the command starts. */
final class Limits {

    static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

    private Limits() {
    }

    static boolean prlimitAvailable() {
        return Files.isExecutable(PRLIMIT);
    }

    /**
     * The rlimits of a run. CPU seconds and core dumps are always per process. Memory, processes and disk are
     * set here only when {@code perProcess}: the weaker fallback without control groups and volumes, where
     * RLIMIT_AS bounds each process's address space, RLIMIT_NPROC all processes of the uid, and RLIMIT_FSIZE
     * each file written (not their sum).
     *
     * @param nproc RLIMIT_NPROC to set, or 0 to leave it alone
     */
    static List<String> prlimit(ResourceLimits limits, boolean perProcess, long nproc) {
        List<String> argv = new ArrayList<>(List.of(PRLIMIT.toString(), "--cpu=" + limits.cpuSeconds(), "--core=0"));
        if (perProcess) {
            argv.add("--as=" + limits.memoryMiB() * 1024 * 1024);
            argv.add("--fsize=" + limits.diskBytes());
            if (nproc > 0) {
                argv.add("--nproc=" + nproc);
            }
        }
        argv.add("--");
        return argv;
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
