package dev.seedloop.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./seedloop} knows the distribution's directory and its manifest, nothing of the modules' build output: it
 * builds the distribution with {@code package} (never {@code install}) when it is missing or older than the sources,
 * and runs the part a command names with the classpath, main class and JVM flags the manifest gives. Run on a copy of
 * the script in a checkout of its own, whose {@code mvnw} and {@code java} only record how they were called (the
 * {@code mvnw} "builds" by writing a manifest unlike the real one, so every path run must come from it).
 */
class SeedloopScriptTest {

    private static final String MANIFEST = """
            launcher.classpath=stack/launch.jar:stack/deps/*
            launcher.main=test.Launcher
            launcher.jvm=
            cli.classpath=client/c.jar:client/deps/*
            cli.main=test.Cli
            cli.jvm=-XX:TieredStopAtLevel=1 -Xshare:auto
            bench.replay.classpath=b/bench.jar:b/deps/*
            bench.replay.main=test.Replay
            bench.replay.jvm=-Xmx1g -Dlogging=x
            bench.strategies.classpath=b/bench.jar:b/deps/*
            bench.strategies.main=test.Strategies
            bench.strategies.jvm=
            counterfactual.classpath=p/app/*:p/lib/*
            counterfactual.main=test.Counterfactual
            counterfactual.jvm=
            """;
    private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

    @TempDir
    Path checkout;

    private Path calls;
    private Path distribution;

    @BeforeEach
    void aCheckoutWithAStandInMavenAndJava() throws IOException {
        Files.copy(TestStack.repositoryRoot().resolve("seedloop"), checkout.resolve("seedloop"));
        Files.setPosixFilePermissions(checkout.resolve("seedloop"), PosixFilePermissions.fromString("rwxr-xr-x"));
        calls = checkout.resolve("calls");
        distribution = checkout.resolve("distribution/target/seedloop");
        Files.writeString(checkout.resolve("manifest.template"), MANIFEST);
        Path jdk = Files.createDirectories(checkout.resolve("jdk/bin"));
        Files.createDirectories(checkout.resolve(".ci"));
        Files.writeString(checkout.resolve(".ci/java-home.sh"), "export JAVA_HOME=\"" + jdk.getParent() + "\"\n");
        executable(jdk.resolve("java"), "printf '%s\\n' java \"$@\" -- >> \"" + calls + "\"");
        executable(checkout.resolve("mvnw"), "printf '%s\\n' mvnw \"$@\" -- >> \"" + calls + "\"\n"
                + "if [ \"$*\" != \"-B verify -x\" ]; then mkdir -p distribution/target/seedloop\n"
                + "  cp manifest.template distribution/target/seedloop/layout.properties; fi");
        for (String source : List.of("pom.xml", "gateway/pom.xml", "gateway/src/main/java/Gateway.java")) {
            Path file = checkout.resolve(source);
            Files.createDirectories(file.getParent());
            Files.writeString(file, "");
            Files.setLastModifiedTime(file, FileTime.from(LONG_AGO));
        }
    }

    @Test
    void withoutADistributionItPackagesOneNeverInstallsAndRunsWhatItsManifestNames() throws Exception {
        Run run = run("bench", "strategies", "--seeds", "3");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.calls()).containsExactly(
                List.of("mvnw", "-B", "-q", "package", "-DskipTests", "-Dquarkus.log.level=WARN", "-pl", "distribution",
                        "-am"),
                List.of("java", "-Dseedloop.root=" + checkout, "-Dseedloop.distribution=" + distribution, "-cp",
                        dist("b/bench.jar") + ":" + dist("b/deps/*"), "test.Strategies", "--seeds", "3"));
    }

    @Test
    void eachPartRunsWithTheJvmFlagsOfTheManifest() throws Exception {
        built();

        // A benchmark knows the checkout and the distribution: bench platform and bench load start the stack.
        assertThat(run("bench", "replay", "--events", "10").calls()).containsExactly(List.of("java", "-Xmx1g",
                "-Dlogging=x", "-Dseedloop.root=" + checkout, "-Dseedloop.distribution=" + distribution, "-cp",
                dist("b/bench.jar") + ":" + dist("b/deps/*"), "test.Replay", "--events", "10"));
        Files.delete(calls);
        assertThat(run("login", "--user", "alice-researcher").calls()).containsExactly(List.of("java",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", dist("client/c.jar") + ":" + dist("client/deps/*"),
                "test.Cli", "login", "--user", "alice-researcher"));
        Files.delete(calls);
        assertThat(run("counterfactual", "study.jsonl").calls()).containsExactly(List.of("java", "-cp",
                dist("p/app/*") + ":" + dist("p/lib/*"), "test.Counterfactual", "study.jsonl"));
    }

    @Test
    void everyCommandNotTheLaunchersIsTheClisWorkspaceAndCheckoutIncluded() throws Exception {
        built();
        String cli = dist("client/c.jar") + ":" + dist("client/deps/*");

        assertThat(run("workspace", "push", "./my-project").calls()).containsExactly(List.of("java",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cli, "test.Cli", "workspace", "push",
                "./my-project"));
        Files.delete(calls);
        assertThat(run("checkout", "s-1", "./champion").calls()).containsExactly(List.of("java",
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", cli, "test.Cli", "checkout", "s-1", "./champion"));
        Files.delete(calls);
        assertThat(run("help").calls()).containsExactly(List.of("java", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", cli, "test.Cli", "--help"));
    }

    @Test
    void theStackLauncherIsToldTheCheckoutAndTheDistribution() throws Exception {
        built();

        Run run = run("status");

        assertThat(run.calls()).containsExactly(List.of("java", "-Dseedloop.root=" + checkout.toRealPath(),
                "-Dseedloop.distribution=" + distribution.toRealPath(), "-cp",
                dist("stack/launch.jar") + ":" + dist("stack/deps/*"), "test.Launcher", "status"));
    }

    @Test
    void sourcesNewerThanTheDistributionRebuildItBeforeUpButNotBeforeStatusOrDown() throws Exception {
        built();
        Files.setLastModifiedTime(checkout.resolve("gateway/src/main/java/Gateway.java"),
                FileTime.from(Instant.now().plusSeconds(60)));

        assertThat(run("status").calls()).extracting(call -> call.get(0)).containsExactly("java");
        Files.delete(calls);
        assertThat(run("down").calls()).extracting(call -> call.get(0)).containsExactly("java");
        Files.delete(calls);
        assertThat(run("up").calls()).extracting(call -> call.get(0)).containsExactly("mvnw", "java");
    }

    @Test
    void aCurrentDistributionIsNotBuiltAgain() throws Exception {
        built();

        assertThat(run("up").calls()).extracting(call -> call.get(0)).containsExactly("java");
    }

    @Test
    void aChangedPomMakesTheDistributionStale() throws Exception {
        built();
        Files.setLastModifiedTime(checkout.resolve("gateway/pom.xml"), FileTime.from(Instant.now().plusSeconds(60)));

        assertThat(run("--version").calls()).extracting(call -> call.get(0)).containsExactly("mvnw", "java");
    }

    @Test
    void anUnknownBenchmarkIsRefusedNamingTheKnownOnes() throws Exception {
        built();

        Run run = run("bench", "codec");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("replay strategies");
        assertThat(run.calls()).isEmpty();
    }

    @Test
    void statusBeforeAnyBuildSaysHowToBuild() throws Exception {
        Run run = run("status");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("./seedloop up");
        assertThat(run.calls()).isEmpty();
    }

    @Test
    void testRunsTheSuiteThroughMaven() throws Exception {
        assertThat(run("test", "-x").calls()).containsExactly(List.of("mvnw", "-B", "verify", "-x"));
    }

    private String dist(String relative) throws IOException {
        return distribution.toRealPath() + "/" + relative;
    }

    /** A distribution newer than every source. */
    private void built() throws IOException {
        Files.createDirectories(distribution);
        Files.writeString(distribution.resolve("layout.properties"), MANIFEST);
    }

    private record Run(int exit, String output, List<List<String>> calls) {
    }

    private Run run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", checkout.resolve("seedloop").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(checkout.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<List<String>> recorded = new ArrayList<>();
        if (Files.exists(calls)) {
            List<String> current = new ArrayList<>();
            for (String line : Files.readAllLines(calls)) {
                if (line.equals("--")) {
                    recorded.add(current);
                    current = new ArrayList<>();
                } else {
                    current.add(line);
                }
            }
        }
        return new Run(process.exitValue(), output, recorded);
    }

    private static void executable(Path file, String body) throws IOException {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
