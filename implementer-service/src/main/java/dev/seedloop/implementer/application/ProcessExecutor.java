package dev.seedloop.implementer.application;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RunRequest;

/**
 * Runs experiments as plain child processes, for machines without bubblewrap. It is NOT a
 * sandbox: the experiment sees the network and can write wherever this JVM's user can. It keeps
 * the limits that do not need isolation: wall timeout and output cap (enforced from outside,
 * killing the process tree found via {@link ProcessHandle#descendants()}), CPU seconds and address
 * space via {@code prlimit}, and a clean environment. RLIMIT_NPROC counts all processes of the
 * user, so it is set to the user's current count plus the limit, and not at all for root (the
 * kernel ignores it there). Processes that detach from the tree (double fork, setsid) escape the
 * timeout kill. Protected paths are only checked after the run.
 */
public final class ProcessExecutor implements ExperimentExecutor {

    private static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    @Override
    public String name() {
        return "process";
    }

    @Override
    public RawRun run(RunRequest request) throws InterruptedException {
        List<String> argv = new ArrayList<>();
        if (Limits.prlimitAvailable()) {
            long nproc = Limits.runningAsRoot() ? 0 : userProcessCount() + request.limits().maxProcesses();
            argv.addAll(Limits.prlimit(request.limits(), nproc));
        }
        argv.addAll(request.command());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOME", request.workspace().toString());
        env.put("LANG", "C.UTF-8");
        env.putAll(request.env());
        return Supervisor.run(argv, request.workspace(), env, request.limits(), true);
    }

    private static long userProcessCount() {
        Optional<String> me = ProcessHandle.current().info().user();
        return ProcessHandle.allProcesses().filter(p -> p.info().user().equals(me)).count();
    }
}
