package dev.seedloop.implementer.application;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.seedloop.implementer.domain.ExceededLimit;
import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RunEnvironment;
import dev.seedloop.implementer.domain.RunRequest;

/**
 * Runs experiments as plain child processes, for machines without bubblewrap. It is NOT a
 * sandbox: the experiment sees the network and can write wherever this JVM's user can. It keeps
 * the limits that do not need isolation: wall timeout and output cap (enforced from outside,
 * killing the process tree found via {@link ProcessHandle#descendants()}), CPU seconds via {@code prlimit},
 * memory and processes for the whole run through {@link ControlGroups} when it has them (else RLIMIT_AS per
 * process and RLIMIT_NPROC, which counts all processes of the user, so it is set to the user's current count
 * plus the limit, and not at all for root, where the kernel ignores it), and a clean environment. Processes that detach from the tree (double fork, setsid) escape the
 * timeout kill. Protected paths are only checked after the run.
 */
public final class ProcessExecutor implements ExperimentExecutor {

    private final ControlGroups groups;

    /** Per-process limits only. */
    public ProcessExecutor() {
        this(null);
    }

    /** @param groups whole-run memory and process limits, or null for per-process rlimits */
    public ProcessExecutor(ControlGroups groups) {
        this.groups = groups;
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public RawRun run(RunRequest request) throws InterruptedException {
        List<String> argv = new ArrayList<>();
        ControlGroups.Run run = null;
        if (groups != null) {
            try {
                run = groups.create(request.workspace().getFileName().toString(), request.limits());
            } catch (IOException e) {
                return RawRun.refused("cannot create the run's control groups: " + e.getMessage());
            }
            argv.addAll(run.enter());
        }
        if (PrlimitCommand.prlimitAvailable()) {
            long nproc = HostUser.isRoot() ? 0 : userProcessCount() + request.limits().maxProcesses();
            argv.addAll(PrlimitCommand.prlimit(request.limits(), groups == null, nproc));
        }
        argv.addAll(request.command());
        ControlGroups.Run watched = run;
        try {
            // Not a sandbox: nothing can be mounted, and the command could read a mount's directory anyway.
            return CommandWatchdog.run(argv, request.workspace(), RunEnvironment.unsandboxed(request), request.limits(),
                    true,
                    () -> (watched == null ? Optional.<ExceededLimit>empty() : watched.exceeded())
                            .or(() -> BubblewrapExecutor.diskExceeded(request.workspace(), request.diskCeilingBytes())));
        } finally {
            if (run != null) {
                run.close();
            }
        }
    }

    private static long userProcessCount() {
        Optional<String> me = ProcessHandle.current().info().user();
        return ProcessHandle.allProcesses().filter(p -> p.info().user().equals(me)).count();
    }
}
