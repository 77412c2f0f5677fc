package dev.seedloop.stack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.seedloop.cli.client.CliException;
import dev.seedloop.stack.LocalStack;

/** The realm's two teams as the benchmarks use them (deploy/keycloak/seedloop-realm.json: password {@code <user>-pw}). */
final class Teams {

    private Teams() {
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

    /** Runs the benchmark; a refusal of the gateway is printed with its details (exit 1), not as a stack trace. */
    static int reportingRefusals(Bench bench) throws Exception {
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
