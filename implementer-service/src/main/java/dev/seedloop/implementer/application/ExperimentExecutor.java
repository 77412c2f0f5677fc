package dev.seedloop.implementer.application;

import dev.seedloop.implementer.domain.RawRun;
import dev.seedloop.implementer.domain.RunRequest;

/**
 * Runs one command of an experiment under resource limits and reports what happened. Executors
 * never judge the run; they report timeouts, output floods and exit codes as data, and throw only
 * when interrupted (after killing what they started).
 */
public interface ExperimentExecutor {

    /** Short identifier recorded in ExperimentStarted, e.g. "bubblewrap". */
    String name();

    RawRun run(RunRequest request) throws InterruptedException;
}
