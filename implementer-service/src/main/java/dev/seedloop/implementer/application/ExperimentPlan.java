package dev.seedloop.implementer.application;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.seedloop.implementer.domain.RunLimits;

/**
 * How to run one experiment: an optional build command (empty list for none), the experiment
 * command, how many repeats, the base seed the per-repeat seeds derive from, the metric that must
 * be reported (null for none) and the limits applied to the build and to each repeat.
 */
public record ExperimentPlan(List<String> buildCommand, List<String> command, int repeats, long baseSeed,
                             String objectiveMetric, RunLimits limits, Map<String, String> env) {

    /** A plan whose command needs no environment beyond the parameters and seed. */
    public ExperimentPlan(List<String> buildCommand, List<String> command, int repeats, long baseSeed,
                          String objectiveMetric, RunLimits limits) {
        this(buildCommand, command, repeats, baseSeed, objectiveMetric, limits, Map.of());
    }

    public ExperimentPlan {
        buildCommand = List.copyOf(buildCommand);
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be >= 1 but was " + repeats);
        }
        Objects.requireNonNull(limits, "limits");
        env = Map.copyOf(env);
    }
}
