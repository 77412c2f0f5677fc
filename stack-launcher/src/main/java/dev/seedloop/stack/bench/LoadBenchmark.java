package dev.seedloop.stack.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.seedloop.stack.LocalStack;

/**
 * {@code ./seedloop bench load [--studies 20] [--experiments 200] [--parallelism 4] [--timeout-minutes 90]}: that
 * many studies at once, half of team-a's researcher and half of team-b's, each of trivial sandboxed experiments, on
 * the local stack (started as {@code ./seedloop demo} starts it, and stopped after only if this started it). Prints
 * the completion time and where the time went per stage, and exits 1 when a check of {@link LoadRun} broke.
 */
public final class LoadBenchmark {

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(StackBench.main(args, Map.of("studies", 20, "experiments", 200, "parallelism", 4,
                "timeout-minutes", 90), LoadBenchmark::run));
    }

    private static int run(LocalStack stack, BenchOptions options) throws Exception {
        List<LoadRun.Team> teams = StackBench.both(stack);
        int perTeam = (options.get("studies") + teams.size() - 1) / teams.size();
        LoadRun.Plan plan = new LoadRun.Plan(perTeam, options.get("experiments"), options.get("parallelism"),
                Duration.ofMinutes(options.get("timeout-minutes")));
        System.out.println("Machine load before: " + StackBench.loadAverage());
        LoadRun.Report report = LoadRun.run(teams, plan, System.out);
        System.out.println("Machine load after: " + StackBench.loadAverage());
        System.out.println();
        report.print(System.out);
        System.out.printf(Locale.ROOT, "Stack ready in %.0f s; bench total %.0f s.%n", stack.readySeconds(),
                stack.secondsSinceOpened());
        return report.passed() ? 0 : 1;
    }
}
