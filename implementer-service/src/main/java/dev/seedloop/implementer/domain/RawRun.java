package dev.seedloop.implementer.domain;

/**
 * What an executor observed about one run, before any judgement. {@code exitCode} follows the
 * shell convention (128 + signal when killed). Tails are the last bytes the executor kept, not
 * the whole output. {@code refusal} is non-null only when the executor refused to run at all;
 * {@code exceeded} is non-null when the executor stopped the run because a whole-experiment limit
 * (memory, processes, disk) was reached.
 */
public record RawRun(int exitCode, boolean timedOut, boolean outputLimitHit, String stdoutTail, String logTail,
                     long wallMillis, long cpuMillis, long maxRssKiB, String refusal, ExceededLimit exceeded) {

    public RawRun {
        stdoutTail = stdoutTail == null ? "" : stdoutTail;
        logTail = logTail == null ? "" : logTail;
    }

    public RawRun(int exitCode, boolean timedOut, boolean outputLimitHit, String stdoutTail, String logTail,
                  long wallMillis, long cpuMillis, long maxRssKiB, String refusal) {
        this(exitCode, timedOut, outputLimitHit, stdoutTail, logTail, wallMillis, cpuMillis, maxRssKiB, refusal,
                null);
    }

    public RawRun(int exitCode, boolean timedOut, boolean outputLimitHit, String stdoutTail, String logTail,
                  long wallMillis, long cpuMillis, long maxRssKiB) {
        this(exitCode, timedOut, outputLimitHit, stdoutTail, logTail, wallMillis, cpuMillis, maxRssKiB, null, null);
    }

    /** A run that never started because the executor will not run untrusted code. */
    public static RawRun refused(String why) {
        return new RawRun(-1, false, false, "", "", 0, 0, 0, why, null);
    }

    public boolean wasRefused() {
        return refusal != null;
    }
}
