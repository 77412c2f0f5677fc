package dev.seedloop.implementer.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.seedloop.events.ExperimentSpec;
import dev.seedloop.events.ValidationSpec;

/**
 * The most an installation lets one experiment ask for, set by its operator: a study spec may ask for less,
 * never more. {@code wallTimeout}, {@code cpuSeconds}, {@code memoryMiB}, {@code maxProcesses},
 * {@code maxOutputBytes} and {@code diskBytes} bound each run (build, repeat, validation, held-out) like
 * {@link RunLimits}; {@code repeats} bounds the runs of one experiment, and with them the size of its
 * outcome. Invariant: all values positive.
 */
public record ExperimentMaxima(Duration wallTimeout, long cpuSeconds, long memoryMiB, int maxProcesses,
                               long maxOutputBytes, long diskBytes, int repeats) {

    public ExperimentMaxima {
        // The same checks as limits: maxima are the largest limits allowed.
        new RunLimits(wallTimeout, cpuSeconds, memoryMiB, maxProcesses, maxOutputBytes, diskBytes);
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be positive but was " + repeats);
        }
    }

    /** Maxima without a disk bound of their own (the default disk limit applies). */
    public ExperimentMaxima(Duration wallTimeout, long cpuSeconds, long memoryMiB, int maxProcesses,
                            long maxOutputBytes, int repeats) {
        this(wallTimeout, cpuSeconds, memoryMiB, maxProcesses, maxOutputBytes, Long.MAX_VALUE, repeats);
    }

    /**
     * What {@code asked} (and its number of repeats) wants beyond these maxima, one entry per limit named as the
     * study spec names it, e.g. {@code "timeoutSeconds 90000 > 86400"}; empty when the experiment fits.
     */
    public List<String> excesses(RunLimits asked, int askedRepeats) {
        Objects.requireNonNull(asked, "asked");
        List<String> over = new ArrayList<>();
        if (asked.wallTimeout().compareTo(wallTimeout) > 0) {
            over.add("timeoutSeconds " + asked.wallTimeout().toSeconds() + " > " + wallTimeout.toSeconds());
        }
        exceeds(over, "repeats", askedRepeats, repeats);
        exceeds(over, "limits.cpuSeconds", asked.cpuSeconds(), cpuSeconds);
        exceeds(over, "limits.memoryMiB", asked.memoryMiB(), memoryMiB);
        exceeds(over, "limits.maxProcesses", asked.maxProcesses(), maxProcesses);
        exceeds(over, "limits.maxOutputBytes", asked.maxOutputBytes(), maxOutputBytes);
        exceeds(over, "limits.diskBytes", asked.diskBytes(), diskBytes);
        return over;
    }

    /**
     * The longest an experiment of {@code spec} (with the study's {@code validation}, or null) may take: every
     * command it runs (build, each repeat, validation, held-out) is killed at its wall timeout, and {@code grace}
     * covers the work around them (copying, hashing, killing, publishing). Counted with what the experiment can
     * actually get, since one asking for more is refused at once. Still running after this, it has a run that
     * could not be stopped.
     */
    public Duration allowance(ExperimentSpec spec, ValidationSpec validation, Duration grace) {
        return allowance(spec, validation, grace, Duration.ZERO);
    }

    /**
     * As {@link #allowance(ExperimentSpec, ValidationSpec, Duration)}, each command also allowed {@code perCommand}
     * beyond its wall timeout: a Kubernetes Job's pod is scheduled, pulls its images and unpacks before its command
     * starts (ADR 0026).
     */
    public Duration allowance(ExperimentSpec spec, ValidationSpec validation, Duration grace, Duration perCommand) {
        if (grace.isNegative() || perCommand.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative but was " + grace);
        }
        int commands = (spec.buildCommand() == null || spec.buildCommand().isEmpty() ? 0 : 1)
                + Math.min(spec.repeats(), repeats)
                + (validation != null && validation.command() != null ? 1 : 0)
                + (validation != null && validation.heldOutCommand() != null ? 1 : 0);
        Duration timeout = Duration.ofSeconds(Math.min(spec.timeoutSeconds(), wallTimeout.toSeconds()));
        return timeout.plus(perCommand).multipliedBy(commands).plus(grace);
    }

    private static void exceeds(List<String> over, String name, long asked, long maximum) {
        if (asked > maximum) {
            over.add(name + " " + asked + " > " + maximum);
        }
    }
}
