package dev.seedloop.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled distribution runs on its own: every path its manifest names is there, and each part it names runs
 * from it, launched as {@code ./seedloop} launches it (the part's {@code jvm} flags, its classpath made absolute
 * with its wildcards left to {@code java}, its main class). Nothing here comes from a module's build directory.
 */
class DistributionIT {

    private static Path distribution;
    private static Properties manifest;

    @TempDir
    Path scratch;

    @BeforeAll
    static void readTheManifest() throws IOException {
        distribution = Path.of(System.getProperty("seedloop.distribution")).toAbsolutePath();
        manifest = new Properties();
        try (Reader in = Files.newBufferedReader(distribution.resolve("layout.properties"), StandardCharsets.UTF_8)) {
            manifest.load(in);
        }
    }

    @Test
    void everyPathTheManifestNamesIsInTheDistribution() throws IOException {
        List<String> paths = new ArrayList<>();
        for (String key : manifest.stringPropertyNames()) {
            if (key.endsWith(".jar")) {
                paths.add(manifest.getProperty(key));
            } else if (key.endsWith(".classpath")) {
                paths.addAll(Arrays.asList(manifest.getProperty(key).split(":")));
            }
        }
        assertThat(paths).isNotEmpty();
        for (String path : paths) {
            assertThat(path).as("relative to the distribution, no build directory, no version")
                    .doesNotStartWith("/").doesNotContain("..", "target/", "SNAPSHOT");
            if (path.endsWith("/*")) {
                Path directory = distribution.resolve(path.substring(0, path.length() - 2));
                try (Stream<Path> jars = Files.list(directory)) {
                    assertThat(jars.filter(p -> p.toString().endsWith(".jar"))).as(path).isNotEmpty();
                }
            } else {
                assertThat(distribution.resolve(path)).as(path).isRegularFile();
            }
        }
        for (String service : List.of("learner-service", "proposer-service", "implementer-service",
                "evaluator-service", "gateway")) {
            assertThat(manifest.getProperty("service." + service + ".jar")).as(service).isNotNull();
        }
    }

    @Test
    void theStackLauncherRunsFromTheDistribution() throws Exception {
        Run help = run("launcher", List.of("-Dseedloop.root=" + scratch, "-Dseedloop.distribution=" + distribution),
                "help");

        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("usage: seedloop up|down|status|restart NAME|demo");
    }

    @Test
    void theCliRunsFromTheDistribution() throws Exception {
        Run help = run("cli", List.of(), "--help");

        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("login", "study");
    }

    @Test
    void theStrategiesBenchmarkRunsFromTheDistribution() throws Exception {
        // Without Optuna's side: the check is that the distribution runs the class; OptunaScriptTest covers the script.
        Run bench = run("bench.strategies", List.of(), "--seeds", "2", "--evals", "30", "--no-optuna");

        assertThat(bench.exit()).as(bench.output()).isZero();
        assertThat(bench.output()).contains(
                "Regret f(best observed) - optimum (median [q1, q3] over seeds 1..2; 30 evaluations, batch 1",
                "| Branin (none) | random |", "| Rosenbrock-5 (none) | default (tpe) |",
                "| Hartmann-6 noisy (0.1500) | tpe |", "default beats random at 100 (median regret): ");
    }

    @Test
    void theReplayBenchmarkRunsFromTheDistributionWithItsEmbeddedPostgresql() throws Exception {
        Run bench = run("bench.replay", List.of("-Djava.io.tmpdir=" + scratch), "--events", "1000", "--every", "500",
                "--runs", "1");

        assertThat(bench.exit()).as(bench.output()).isZero();
        assertThat(bench.output()).contains("Replay benchmark: 1,000 events, a snapshot every 500",
                "State at the head with and without snapshots identical: true");
    }

    @Test
    void theCounterfactualCommandRunsFromTheDistribution() throws Exception {
        Run usage = run("counterfactual", List.of());

        assertThat(usage.output()).as("the class loads and answers").containsIgnoringCase("usage");
    }

    private record Run(int exit, String output) {
    }

    /** Runs a part of the distribution as ./seedloop does, with {@code extraJvm} flags before its main class. */
    private Run run(String part, List<String> extraJvm, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        String jvm = manifest.getProperty(part + ".jvm", "").trim();
        if (!jvm.isEmpty()) {
            command.addAll(Arrays.asList(jvm.split("\\s+")));
        }
        command.addAll(extraJvm);
        command.add("-cp");
        command.add(String.join(":", Arrays.stream(manifest.getProperty(part + ".classpath").split(":"))
                .map(entry -> distribution + "/" + entry).toList()));
        command.add(manifest.getProperty(part + ".main"));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).directory(scratch.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
        return new Run(process.exitValue(), output);
    }
}
