package dev.seedloop.implementer.application;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.seedloop.events.ValidationSpec;
import dev.seedloop.implementer.domain.RunLimits;

/**
 * How to run one experiment: an optional build command (empty list for none), the experiment
 * command, how many repeats, the base seed the per-repeat seeds derive from, the metric that must
 * be reported (null for none), the limits applied to every command (build, each repeat, validation, held-out), the
 * study's environment, and what the study's validation and held-out commands run on (null when it has none).
 */
public record ExperimentPlan(List<String> buildCommand, List<String> command, int repeats, long baseSeed,
                             String objectiveMetric, RunLimits limits, Map<String, String> env,
                             ValidationInput validation) {

    /** A plan without validation whose command needs no environment beyond the parameters and seed. */
    public ExperimentPlan(List<String> buildCommand, List<String> command, int repeats, long baseSeed,
                          String objectiveMetric, RunLimits limits) {
        this(buildCommand, command, repeats, baseSeed, objectiveMetric, limits, Map.of(), null);
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

    /**
     * What the study's validation and held-out commands run on, each in a fresh workspace (ADR 0020): the
     * experiment's code and parameters written again, never the directory the experiment ran in, and for the
     * held-out command the study's held-out data (null when it names none).
     */
    public record ValidationInput(ValidationSpec validation, WorkspaceContent code, Map<String, ?> parameters,
                                  WorkspaceContent heldOutData) {

        public ValidationInput {
            Objects.requireNonNull(validation, "validation");
            Objects.requireNonNull(code, "code");
            // Proposal order: params.json lists the parameters as the proposal does.
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }
    }
}
