package dev.seedloop.implementer.domain;

/**
 * A limit on the whole experiment that the executor saw reached and stopped the run for. The wall timeout
 * and the output cap have their own flags in {@link RawRun}; these are the ones a control group or the
 * workspace's volume reports.
 */
public enum ExceededLimit {
    /** The run's processes together reached {@code memoryMiB} and the kernel killed one of them. */
    MEMORY("memory limit exceeded: the experiment's processes together reached limits.memoryMiB"),
    /** A fork or clone was refused because the run already had {@code maxProcesses} processes and threads. */
    PROCESSES("process limit exceeded: the experiment tried to run more than limits.maxProcesses processes"),
    /** The workspace grew by more than {@code diskBytes} since it was prepared. */
    DISK("disk quota exceeded: the experiment wrote more than its disk limit to its workspace");

    private final String detail;

    ExceededLimit(String detail) {
        this.detail = detail;
    }

    /** What a failure detail says about it. */
    public String detail() {
        return detail;
    }
}
