package dev.seedloop.events;

import java.util.List;
import java.util.Map;

/**
 * How to run one experiment on a proposal's workspace: the command (argv, run in the workspace), extra
 * environment, the wall timeout per repeat, how many repeats (each with its own seed), resource limits,
 * and an optional build command run once before the repeats.
 */
public record ExperimentSpec(List<String> command, Map<String, String> env, long timeoutSeconds, int repeats,
                             ExperimentLimits limits, @Nullable List<String> buildCommand) {

    public ExperimentSpec {
        command = Checks.list(command, "command");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        env = Checks.orderedMap(env, "env");
        Checks.atLeast(timeoutSeconds, 1L, "timeoutSeconds");
        Checks.atLeast(repeats, 1, "repeats");
        Checks.notNull(limits, "limits");
        buildCommand = buildCommand == null ? null : Checks.list(buildCommand, "buildCommand");
    }
}
