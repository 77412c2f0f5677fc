package dev.seedloop.benchmarks.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark's main class run in a JVM of its own, as {@code ./seedloop bench NAME} runs it (they end with
 * {@code System.exit}), on this test's classpath with the JBoss log manager the learner's libraries expect.
 */
public final class BenchmarkRun {

    private BenchmarkRun() {
    }

    /** Runs {@code main} with {@code args} under a heap of {@code maxHeap}; asserts it exits 0 within 5 minutes. */
    public static String output(Class<?> main, String maxHeap, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + maxHeap, "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(run.exitValue()).as(output).isZero();
        return output;
    }
}
