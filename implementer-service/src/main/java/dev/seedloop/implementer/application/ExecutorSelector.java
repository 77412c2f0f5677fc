package dev.seedloop.implementer.application;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

/**
 * Chooses how experiments run: bubblewrap when it works on this machine, else the unsandboxed
 * process runner only if explicitly allowed ({@value #ALLOW_UNSANDBOXED_SETTING}), else an
 * executor that refuses every run.
 */
public final class ExecutorSelector {

    /** Setting that allows running untrusted experiments without a sandbox. */
    public static final String ALLOW_UNSANDBOXED_SETTING = "seedloop.implementer.allow-unsandboxed";

    static final String REFUSAL = "no working sandbox: bubblewrap (bwrap) is missing or cannot create namespaces"
            + " here. Install it (Debian/Ubuntu: apt-get install bubblewrap; also needs util-linux prlimit), or"
            + " accept running experiments unsandboxed with " + ALLOW_UNSANDBOXED_SETTING + "=true";

    private static final Logger LOG = Logger.getLogger(ExecutorSelector.class);
    private static volatile Optional<BubblewrapExecutor> probed;

    private ExecutorSelector() {
    }

    /** Setting that allows per-process limits when whole-experiment limits (cgroups, volumes) are unavailable. */
    public static final String ALLOW_PER_PROCESS_LIMITS_SETTING = "seedloop.implementer.allow-per-process-limits";

    /** Bubblewrap with per-process limits only: for tests of the sandbox alone. */
    public static ExperimentExecutor select(boolean allowUnsandboxed) {
        return select(allowUnsandboxed, true, new ControlGroups.Result(null, "not asked for"),
                new DiskVolumes.Result(null, "not asked for"));
    }

    /**
     * @param allowPerProcessLimits run the sandbox even when {@code groups} or {@code volumes} are unavailable,
     *                              with per-process rlimits in their place; otherwise every run is refused,
     *                              saying what is missing
     */
    public static ExperimentExecutor select(boolean allowUnsandboxed, boolean allowPerProcessLimits,
            ControlGroups.Result groups, DiskVolumes.Result volumes) {
        Optional<BubblewrapExecutor> bwrap = bubblewrap();
        List<String> missing = new java.util.ArrayList<>();
        if (groups.available().isEmpty()) {
            missing.add("whole-experiment memory and process limits: " + groups.problem());
        }
        if (volumes.available().isEmpty()) {
            missing.add("the disk quota: " + volumes.problem());
        }
        if (bwrap.isPresent()) {
            if (!missing.isEmpty() && !allowPerProcessLimits) {
                String refusal = "the sandbox cannot enforce " + String.join("; ", missing) + ". Run the implementer"
                        + " as root on a machine with cgroup v1 memory and pids controllers under /sys/fs/cgroup and"
                        + " e2fsprogs, or accept per-process limits with " + ALLOW_PER_PROCESS_LIMITS_SETTING + "=true";
                LOG.error(refusal);
                return new RefusingExecutor(refusal);
            }
            if (!missing.isEmpty()) {
                LOG.warnf("!!! experiments run with PER-PROCESS limits only (%s=true); missing: %s !!!",
                        ALLOW_PER_PROCESS_LIMITS_SETTING, String.join("; ", missing));
            }
            LOG.infof("experiments run in bubblewrap (mode %s)", bwrap.get().mode());
            return bwrap.get().withControlGroups(groups.groups());
        }
        if (allowUnsandboxed) {
            LOG.warn("!!! bubblewrap is not available: experiments run UNSANDBOXED as plain processes, with"
                    + " network access and this user's file permissions, because " + ALLOW_UNSANDBOXED_SETTING
                    + "=true. Only run code you trust. Install bubblewrap (apt-get install bubblewrap) to sandbox. !!!");
            return new ProcessExecutor(groups.groups());
        }
        LOG.error(REFUSAL);
        return new RefusingExecutor(REFUSAL);
    }

    /** The bubblewrap probe runs once per JVM; its result does not change while we run. */
    static Optional<BubblewrapExecutor> bubblewrap() {
        Optional<BubblewrapExecutor> result = probed;
        if (result == null) {
            synchronized (ExecutorSelector.class) {
                if (probed == null) {
                    probed = BubblewrapExecutor.detect();
                }
                result = probed;
            }
        }
        return result;
    }
}
