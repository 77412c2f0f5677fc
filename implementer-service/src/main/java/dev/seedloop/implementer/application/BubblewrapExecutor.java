package dev.seedloop.implementer.application;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RunRequest;

/**
 * Runs experiments inside bubblewrap: new network, pid, ipc, uts and (when possible) user
 * namespaces, the host file system read-only, only the workspace writable, protected workspace
 * files read-only, a private /tmp, a minimal environment. Per-process limits (CPU seconds, address
 * space, process count) are set by {@code prlimit} inside the sandbox; wall time and output size
 * are enforced from outside. Killing bwrap kills the namespace's init and with it every process
 * of the experiment. CPU time and peak RSS are sampled from the live process tree (see
 * {@link UsageProbe}), because rusage does not propagate out of bwrap's pid namespace.
 *
 * <p>RLIMIT_NPROC is ignored for processes whose real uid is host root, so when this JVM runs as
 * root the sandbox is started through {@code setpriv} as uid/gid {@value #SANDBOX_UID} (and the
 * workspace is chowned to it). That needs unprivileged user namespaces; without them the executor
 * falls back to a root-mapped user namespace, where the process limit is not enforced.
 */
public final class BubblewrapExecutor implements ExperimentExecutor {

    static final int SANDBOX_UID = 65534;
    private static final Logger LOG = Logger.getLogger(BubblewrapExecutor.class);
    private static final String PATH = "/usr/local/bin:/usr/bin:/bin";

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

    BubblewrapExecutor(String bwrap, Mode mode) {
        this.bwrap = bwrap;
        this.mode = mode;
    }

    /** Probes {@code bwrap} on the PATH and returns an executor in the strongest mode that works. */
    public static Optional<BubblewrapExecutor> detect() {
        Optional<String> bwrap = which("bwrap");
        if (bwrap.isEmpty() || !Limits.prlimitAvailable()) {
            return Optional.empty();
        }
        if (!probe(List.of(bwrap.get(), "--ro-bind", "/", "/", "--unshare-net", "true"))) {
            return Optional.empty();
        }
        List<Mode> candidates = Limits.runningAsRoot()
                ? List.of(Mode.UNPRIVILEGED_USER, Mode.USER_NAMESPACE, Mode.NO_USER_NAMESPACE)
                : List.of(Mode.USER_NAMESPACE, Mode.NO_USER_NAMESPACE);
        for (Mode mode : candidates) {
            BubblewrapExecutor candidate = new BubblewrapExecutor(bwrap.get(), mode);
            if (probe(candidate.wrap(Path.of("/"), List.of(), Map.of(), List.of("true"), List.of()))) {
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
        List<String> prlimit = Limits.prlimit(request.limits(),
                mode == Mode.NO_USER_NAMESPACE && Limits.runningAsRoot() ? 0 : request.limits().maxProcesses());
        List<String> argv = wrap(ws, prlimit, request.env(), request.command(), request.protectedPaths());
        return Supervisor.run(argv, ws, Map.of("PATH", PATH), request.limits(), false);
    }

    List<String> wrap(Path ws, List<String> prlimit, Map<String, String> env, List<String> command,
                      List<String> protectedPaths) {
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
        a.addAll(List.of("--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"));
        String w = ws.toString();
        a.addAll(List.of("--bind", w, w));
        for (String rel : protectedPaths) {
            Path p = ws.resolve(rel).normalize();
            if (p.startsWith(ws) && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                a.addAll(List.of("--ro-bind", p.toString(), p.toString()));
            }
        }
        a.addAll(List.of("--chdir", w, "--clearenv"));
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("PATH", PATH);
        vars.put("HOME", w);
        vars.put("LANG", "C.UTF-8");
        vars.putAll(env);
        vars.forEach((k, v) -> a.addAll(List.of("--setenv", k, v)));
        a.add("--");
        a.addAll(prlimit);
        a.addAll(command);
        return a;
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
