package dev.seedloop.implementer.application;

import java.time.Instant;
import java.util.UUID;

/**
 * One experiment in progress and whether its study was halted. Halting interrupts the experiment's thread
 * only while it waits for a command (the executors then kill the process tree and throw): an interrupt at
 * another moment, e.g. while an event is being published or files are copied, would break that step
 * instead of stopping the experiment. A halt outside the commands is only recorded, and seen when they start.
 */
public final class RunningExperiment {

    private final Thread thread = Thread.currentThread();
    private final String studyId;
    private final UUID experimentId;
    private final Instant deadline;
    private boolean inCommands;
    private boolean halted;

    /** On the experiment's own thread: that is the thread a halt interrupts. */
    RunningExperiment(String studyId, UUID experimentId, Instant deadline) {
        this.studyId = studyId;
        this.experimentId = experimentId;
        this.deadline = deadline;
    }

    public String studyId() {
        return studyId;
    }

    public UUID experimentId() {
        return experimentId;
    }

    /** By when it must have ended: every command killed at its timeout, plus a grace. Later means a kill failed. */
    public Instant deadline() {
        return deadline;
    }

    /** Called from the study directory's thread when the study is halted. */
    synchronized void halt() {
        halted = true;
        if (inCommands) {
            thread.interrupt();
        }
    }

    synchronized boolean halted() {
        return halted;
    }

    /** On the experiment's thread, before its commands run. @return false if the study is already halted */
    synchronized boolean enterCommands() {
        inCommands = !halted;
        return inCommands;
    }

    /** On the experiment's thread, after its commands ran or were stopped. */
    synchronized void leaveCommands() {
        inCommands = false;
        if (halted) {
            Thread.interrupted(); // a halt that came as the last command ended must not hit what follows
        }
    }
}
