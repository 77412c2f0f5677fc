package dev.seedloop.gateway.domain;

import java.util.ArrayList;
import java.util.List;

import dev.seedloop.events.ExperimentLimits;
import dev.seedloop.events.ExperimentSpec;

/**
 * The operator's ceilings on one experiment: a spec asking for more (or whose defaults come to more) is refused at
 * the gateway, naming the limit, instead of failing every experiment later at the implementer.
 */
public record ExperimentCeilings(long timeoutSeconds, long cpuSeconds, long memoryMiB, int maxProcesses,
        long maxOutputBytes) {

    /** Every limit of {@code experiment} (defaults filled in) above its ceiling, with the spec path that sets it. */
    public List<SpecViolations.Violation> violations(ExperimentSpec experiment) {
        List<SpecViolations.Violation> problems = new ArrayList<>();
        if (experiment == null) {
            return problems;
        }
        check("experiment.timeoutSeconds", experiment.timeoutSeconds(), timeoutSeconds, problems);
        ExperimentLimits limits = experiment.limits();
        check("experiment.limits.cpuSeconds", limits.cpuSeconds(), cpuSeconds, problems);
        check("experiment.limits.memoryMiB", limits.memoryMiB(), memoryMiB, problems);
        check("experiment.limits.maxProcesses", limits.maxProcesses(), maxProcesses, problems);
        check("experiment.limits.maxOutputBytes", limits.maxOutputBytes(), maxOutputBytes, problems);
        return problems;
    }

    private static void check(String path, long asked, long ceiling, List<SpecViolations.Violation> problems) {
        if (asked > ceiling) {
            problems.add(new SpecViolations.Violation(path, "must be <= " + ceiling
                    + ", this installation's ceiling (was " + asked + ")"));
        }
    }
}
