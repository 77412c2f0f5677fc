package dev.seedloop.stack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.stack.LocalStack;
import dev.seedloop.stack.StackLayout;

/**
 * What the stack's benchmarks share: their options, the local stack they run on, the realm's two teams
 * (deploy/keycloak/seedloop-realm.json: password {@code <user>-pw}) and the machine's load.
 */
final class StackBench {

    private StackBench() {
    }

    static LoadRun.Team team(LocalStack stack, String prefix, String team) throws InterruptedException {
        return new LoadRun.Team(team, stack.login(prefix + "-researcher", prefix + "-researcher-pw").gateway(),
                stack.login(prefix + "-admin", prefix + "-admin-pw").gateway());
    }

    static List<LoadRun.Team> both(LocalStack stack) throws InterruptedException {
        return List.of(team(stack, "alice", "team-a"), team(stack, "bob", "team-b"));
    }

    /** What a benchmark does. */
    interface Bench {
        int run() throws Exception;
    }

    /** A benchmark's body, on the stack that is up, with its options. */
    interface OnStack {
        int run(LocalStack stack, BenchOptions options) throws Exception;
    }

    /**
     * A benchmark's main: its options (exit 2 when wrong), the local stack started as the demo starts it (exit 1 when
     * it cannot be, or without bubblewrap: these measure the sandbox), the body, the stack stopped after only if
     * this started it; the exit code is the body's.
     */
    static int main(String[] args, Map<String, Integer> defaults, OnStack body) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, defaults);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        StackLayout layout = LocalStack.fromSystemProperties().orElse(null);
        LocalStack stack = layout == null ? null : LocalStack.open(layout, false).orElse(null);
        if (stack == null) {
            return 1;
        }
        try (stack) {
            return reportingRefusals(() -> body.run(stack, options));
        }
    }

    /** Runs the benchmark; a refusal of the gateway is printed with its details (exit 1), not as a stack trace. */
    private static int reportingRefusals(Bench bench) throws Exception {
        try {
            return bench.run();
        } catch (CliException e) {
            System.err.println(e.getMessage());
            e.details().forEach(line -> System.err.println("  " + line));
            return 1;
        }
    }

    /** {@code /proc/loadavg}'s first three figures: the machine is shared, and the figures depend on it. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2] + " (1, 5, 15 min) on "
                    + Runtime.getRuntime().availableProcessors() + " cores";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
