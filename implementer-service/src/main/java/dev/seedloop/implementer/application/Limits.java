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

    /** @param nproc RLIMIT_NPROC to set, or 0 to leave it alone */
    static List<String> prlimit(ResourceLimits limits, long nproc) {
        List<String> argv = new ArrayList<>(List.of(PRLIMIT.toString(),
                "--cpu=" + limits.cpuSeconds(),
                "--as=" + limits.memoryMiB() * 1024 * 1024,
                "--core=0"));
        if (nproc > 0) {
            argv.add("--nproc=" + nproc);
        }
        argv.add("--");
        return argv;
    }

    static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
