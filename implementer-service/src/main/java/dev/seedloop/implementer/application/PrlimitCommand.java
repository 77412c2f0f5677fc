package dev.seedloop.implementer.application;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.seedloop.implementer.domain.RunLimits;

/**
 * The {@code prlimit} prefix that applies a run's per-process rlimits before its command starts. Not to be confused
 * with {@link RunLimits} (what one run may use) or the contract's {@code ExperimentLimits} (what a study spec asks
 * for): this only turns the former into util-linux arguments.
 */
final class PrlimitCommand {

    static final Path PRLIMIT = Path.of("/usr/bin/prlimit");

    private PrlimitCommand() {
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
    static List<String> prlimit(RunLimits limits, boolean perProcess, long nproc) {
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
}
