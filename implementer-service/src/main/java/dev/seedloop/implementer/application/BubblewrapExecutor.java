package dev.seedloop.implementer.application;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import dev.seedloop.implementer.domain.ExceededLimit;
import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.ReadOnlyMount;
import dev.seedloop.implementer.domain.RunLimits;
import dev.seedloop.implementer.domain.RunEnvironment;
import dev.seedloop.implementer.domain.RunRequest;

/**
 * Runs experiments inside bubblewrap: new network, pid, ipc, uts and (when possible) user namespaces, and a
 * root file system of its own that holds only what the run needs, read-only: {@code /usr} and the {@code /bin},
 * {@code /lib*}, {@code /sbin} links or directories beside it, {@code /etc/ld.so.cache} (the dynamic loader) and
 * {@code /etc/alternatives} (Debian's links to {@code java}, {@code python3} ...), the installation of the
 * interpreter the command names when it lives elsewhere (see {@link #runtimeRoots}), a fresh {@code /proc} and
 * minimal {@code /dev}, a private size-limited {@code /tmp}; then the experiment's own workspace, the only thing
 * writable, with its protected files re-bound read-only, and the root remounted read-only. The host's other
 * directories (other experiments in the same data directory, {@code /etc/shadow}, {@code /root}, {@code /home},
 * {@code /var}, {@code /sys}) do not exist inside. A minimal environment; wall time and output size are enforced
 * from outside; killing bwrap kills the namespace's init and with it every process of the experiment.
 *
 * <p>Memory and process limits hold for the whole run through {@link ControlGroups} (the command enters its
 * groups before it starts anything); only without them, where the operator allowed it, do per-process rlimits
 * stand in. CPU seconds are per process (RLIMIT_CPU). CPU time and peak RSS are sampled from the live process
 * tree (see {@link UsageProbe}), because rusage does not propagate out of bwrap's pid namespace.
 *
 * <p>When this JVM runs as root the sandbox is started through {@code setpriv} as uid/gid {@value #SANDBOX_UID}
 * (and the workspace is chowned to it), so nothing inside is host root even if it escaped the namespaces. That
 * needs unprivileged user namespaces; without them the executor falls back to a root-mapped user namespace.
 */
public final class BubblewrapExecutor implements ExperimentExecutor {

    static final int SANDBOX_UID = 65534;
    private static final Logger LOG = Logger.getLogger(BubblewrapExecutor.class);
    /** The system's own runtime: bound read-only as they are (a link such as /lib -> usr/lib is recreated as a link). */
    private static final List<String> SYSTEM_DIRS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64",
            "/libx32");
    /** What of /etc a dynamically linked program and Debian's interpreter links need; nothing else of /etc. */
    private static final List<String> ETC_FILES = List.of("/etc/ld.so.cache", "/etc/alternatives");

    /**
     * Debian's JDKs keep their configuration in {@code /etc/java-N-openjdk} ({@code conf/security/java.security} is a
     * link there); without it {@code java Program.java} dies loading {@code java.security}. Only root-owned
     * directories, as for runtime installations.
     */
    static List<Path> jdkConfigurations() {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/etc"), "java-*")) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && rootOwnedNotWritableByOthers(dir)) {
                    found.add(dir);
                }
            }
        } catch (IOException e) {
            // No /etc to read: nothing to bind.
        }
        return found;
    }

    private static boolean rootOwnedNotWritableByOthers(Path dir) {
        try {
            var perms = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            return Integer.valueOf(0).equals(Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                    && !perms.contains(PosixFilePermission.GROUP_WRITE)
                    && !perms.contains(PosixFilePermission.OTHERS_WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** How the sandbox is entered; decided once by probing. */
    enum Mode {
        /** setpriv to an unprivileged host uid, then bwrap with a user namespace (JVM is root). */
        UNPRIVILEGED_USER,
        /** bwrap with a user namespace as the invoking user. */
        USER_NAMESPACE,
        /** bwrap without a user namespace (processes keep the invoking uid). */
        NO_USER_NAMESPACE
    }

    private final String bwrap;
    private final Mode mode;
    private final ControlGroups groups;
    /** Read once: the JDKs installed on the host do not change while the service runs. */
    private final List<Path> jdkConfigurations;

    BubblewrapExecutor(String bwrap, Mode mode) {
        this(bwrap, mode, null, jdkConfigurations());
    }

    private BubblewrapExecutor(String bwrap, Mode mode, ControlGroups groups, List<Path> jdkConfigurations) {
        this.bwrap = bwrap;
        this.mode = mode;
        this.groups = groups;
        this.jdkConfigurations = jdkConfigurations;
    }

    /**
     * The same sandbox with whole-run memory and process limits in {@code groups}; null means per-process
     * rlimits instead (the fallback an operator must allow).
     */
    public BubblewrapExecutor withControlGroups(ControlGroups groups) {
        return new BubblewrapExecutor(bwrap, mode, groups, jdkConfigurations);
    }

    boolean limitsWholeRuns() {
        return groups != null;
    }

    /** Probes {@code bwrap} on the PATH and returns an executor in the strongest mode that works. */
    public static Optional<BubblewrapExecutor> detect() {
        Optional<String> bwrap = which("bwrap");
        if (bwrap.isEmpty() || !PrlimitCommand.prlimitAvailable()) {
            return Optional.empty();
        }
        if (!probe(List.of(bwrap.get(), "--ro-bind", "/", "/", "--unshare-net", "true"))) {
            return Optional.empty();
        }
        List<Mode> candidates = HostUser.isRoot()
                ? List.of(Mode.UNPRIVILEGED_USER, Mode.USER_NAMESPACE, Mode.NO_USER_NAMESPACE)
                : List.of(Mode.USER_NAMESPACE, Mode.NO_USER_NAMESPACE);
        for (Mode mode : candidates) {
            BubblewrapExecutor candidate = new BubblewrapExecutor(bwrap.get(), mode);
            RunRequest trial = new RunRequest(Path.of("/"), List.of("true"), Map.of(), RunLimits.defaults());
            if (probe(candidate.wrap(trial.workspace(), List.of(), RunEnvironment.sandboxed(trial), trial.command(),
                    List.of()))) {
                if (mode != candidates.get(0)) {
                    LOG.warnf("bubblewrap runs in mode %s: the process-count limit is not enforced "
                            + "(the sandboxed uid is the invoking uid or host root)", mode);
                }
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    @Override
    public String name() {
        return "bubblewrap";
    }

    Mode mode() {
        return mode;
    }

    @Override
    public RawRun run(RunRequest request) throws InterruptedException {
        Path ws = request.workspace();
        if (mode == Mode.UNPRIVILEGED_USER) {
            Optional<String> problem = handOver(ws);
            if (problem.isPresent()) {
                return RawRun.refused(problem.get());
            }
        }
        List<String> prlimit = PrlimitCommand.prlimit(request.limits(), groups == null,
                mode == Mode.NO_USER_NAMESPACE && HostUser.isRoot() ? 0 : request.limits().maxProcesses());
        List<String> argv = new ArrayList<>();
        ControlGroups.Run run = null;
        try {
            if (groups != null) {
                run = groups.create(ws.getFileName().toString(), request.limits());
                argv.addAll(run.enter());
            }
        } catch (IOException e) {
            return RawRun.refused("cannot create the run's control groups: " + e.getMessage());
        }
        try {
            argv.addAll(wrap(ws, prlimit, RunEnvironment.sandboxed(request), request.command(),
                    request.protectedPaths(), request.limits().diskBytes(), request.mounts()));
            ControlGroups.Run watched = run;
            return CommandWatchdog.run(argv, ws, RunEnvironment.launcher(), request.limits(), false,
                    () -> (watched == null ? Optional.<ExceededLimit>empty() : watched.exceeded())
                            .or(() -> diskExceeded(ws, request.diskCeilingBytes())));
        } finally {
            if (run != null) {
                run.close();
            }
        }
    }

    /** DISK when the workspace's volume holds more than its ceiling (null: no volume of its own to measure). */
    static Optional<ExceededLimit> diskExceeded(Path ws, Long ceiling) {
        if (ceiling == null) {
            return Optional.empty();
        }
        try {
            return DiskVolumes.used(ws) > ceiling ? Optional.of(ExceededLimit.DISK) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    List<String> wrap(Path ws, List<String> prlimit, Map<String, String> env, List<String> command,
                      List<String> protectedPaths) {
        return wrap(ws, prlimit, env, command, protectedPaths, RunLimits.DEFAULT_DISK_BYTES, List.of());
    }

    /** @param env the command's whole environment ({@link RunEnvironment#sandboxed}); bwrap clears everything else */
    List<String> wrap(Path ws, List<String> prlimit, Map<String, String> env, List<String> command,
                      List<String> protectedPaths, long tmpBytes, List<ReadOnlyMount> mounts) {
        List<String> a = new ArrayList<>();
        if (mode == Mode.UNPRIVILEGED_USER) {
            a.addAll(List.of("setpriv", "--reuid=" + SANDBOX_UID, "--regid=" + SANDBOX_UID, "--clear-groups", "--"));
        }
        a.add(bwrap);
        a.addAll(List.of("--die-with-parent", "--new-session",
                "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"));
        if (mode != Mode.NO_USER_NAMESPACE) {
            a.addAll(List.of("--unshare-user", "--uid", Integer.toString(SANDBOX_UID),
                    "--gid", Integer.toString(SANDBOX_UID)));
        }
        for (String dir : SYSTEM_DIRS) {
            Path p = Path.of(dir);
            if (Files.isSymbolicLink(p)) {
                try {
                    a.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), dir));
                } catch (IOException e) {
                    // An unreadable link is left out, like a missing directory.
                }
            } else if (Files.isDirectory(p)) {
                a.addAll(List.of("--ro-bind", dir, dir));
            }
        }
        for (String file : ETC_FILES) {
            a.addAll(List.of("--ro-bind-try", file, file));
        }
        for (Path config : jdkConfigurations) {
            a.addAll(List.of("--ro-bind", config.toString(), config.toString()));
        }
        for (Path root : runtimeRoots(command, ws)) {
            a.addAll(List.of("--ro-bind", root.toString(), root.toString()));
        }
        a.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--size", Long.toString(tmpBytes), "--tmpfs", "/tmp"));
        String w = ws.toString();
        a.addAll(List.of("--bind", w, w));
        for (String rel : protectedPaths) {
            Path p = ws.resolve(rel).normalize();
            if (p.startsWith(ws) && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                a.addAll(List.of("--ro-bind", p.toString(), p.toString()));
            }
        }
        // Only this run's request names them (the held-out data for the held-out command), so no other run sees them.
        for (ReadOnlyMount mount : mounts) {
            a.addAll(List.of("--ro-bind", mount.source().toString(), mount.target()));
        }
        // Everything is mounted: nothing may be created beside it, in / or in the directories bwrap made for mounts.
        a.addAll(List.of("--remount-ro", "/"));
        a.addAll(List.of("--chdir", w, "--clearenv"));
        env.forEach((k, v) -> a.addAll(List.of("--setenv", k, v)));
        a.add("--");
        a.addAll(prlimit);
        a.addAll(command);
        return a;
    }

    /**
     * The installations outside the system directories that the command's program lives in, to bind read-only:
     * a JDK or interpreter the spec names by absolute path ({@code /opt/jdk-21/bin/java} gives {@code /opt/jdk-21};
     * a program not in a {@code bin} directory gives its directory), through links as named and as resolved.
     * Programs found on the sandbox's PATH are under {@code /usr} already. Only what the operator installed is
     * bound: a regular executable owned by root and writable only by root, whose installation neither holds nor
     * lies inside the experiments' directory, at least two levels below {@code /} (never {@code /opt} or
     * {@code /root} as a whole). Anything else stays invisible and the command fails with "No such file".
     */
    static List<Path> runtimeRoots(List<String> command, Path ws) {
        String program = command.get(0);
        if (!program.startsWith("/")) {
            return List.of();
        }
        Path named = Path.of(program).normalize();
        Path experiments = ws.getParent() == null ? ws : ws.getParent();
        List<Path> roots = new ArrayList<>();
        try {
            Path real = named.toRealPath();
            PosixFileAttributes attrs = Files.readAttributes(real, PosixFileAttributes.class);
            Set<PosixFilePermission> perms = attrs.permissions();
            if (!attrs.isRegularFile() || !"root".equals(attrs.owner().getName())
                    || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                return List.of();
            }
            for (Path p : List.of(named, real)) {
                if (SYSTEM_DIRS.stream().anyMatch(d -> p.startsWith(d))) {
                    continue;
                }
                Path dir = p.getParent();
                Path root = dir.getFileName() != null && dir.getFileName().toString().equals("bin")
                        && dir.getParent() != null ? dir.getParent() : dir;
                if (root.getNameCount() >= 2 && !root.startsWith(experiments) && !experiments.startsWith(root)
                        && !roots.contains(root)) {
                    roots.add(root);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return List.of();
        }
        return roots;
    }

    /**
     * Gives the workspace to the sandbox uid. bwrap resolves the bind source as that uid, so every
     * ancestor must be searchable by it.
     */
    private static Optional<String> handOver(Path ws) {
        try {
            for (Path p = ws.getParent(); p != null; p = p.getParent()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return Optional.of("workspace ancestor " + p + " is not searchable by uid " + SANDBOX_UID
                            + " (chmod o+x it, or put the experiments root under a world-searchable directory)");
                }
            }
            try (Stream<Path> files = Files.walk(ws)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.setAttribute(f, "unix:uid", SANDBOX_UID, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(f, "unix:gid", SANDBOX_UID, LinkOption.NOFOLLOW_LINKS);
                }
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot hand the workspace to uid " + SANDBOX_UID + ": " + e.getMessage());
        }
    }

    static boolean probe(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static Optional<String> which(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return Optional.of(Path.of(dir, program).toString());
            }
        }
        return Optional.empty();
    }
}
