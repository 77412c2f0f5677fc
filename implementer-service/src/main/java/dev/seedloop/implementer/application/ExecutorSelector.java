package dev.seedloop.implementer.application;

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

    public static ExperimentExecutor select(boolean allowUnsandboxed) {
        Optional<BubblewrapExecutor> bwrap = bubblewrap();
        if (bwrap.isPresent()) {
            LOG.infof("experiments run in bubblewrap (mode %s)", bwrap.get().mode());
            return bwrap.get();
        }
        if (allowUnsandboxed) {
            LOG.warn("!!! bubblewrap is not available: experiments run UNSANDBOXED as plain processes, with"
                    + " network access and this user's file permissions, because " + ALLOW_UNSANDBOXED_SETTING
                    + "=true. Only run code you trust. Install bubblewrap (apt-get install bubblewrap) to sandbox. !!!");
            return new ProcessExecutor();
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
