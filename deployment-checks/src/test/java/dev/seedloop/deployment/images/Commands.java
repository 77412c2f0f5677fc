package dev.seedloop.deployment.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external tools the image check drives (mmdebstrap, jlink, tar, skopeo, Maven), each with its output in a
 * log file, and fails with the log's tail and the tool's name when it is missing, fails or overruns.
 */
final class Commands {

    private static final int TAIL_CHARACTERS = 4_000;

    private Commands() {
    }

    /** Runs {@code command} in {@code directory}, its output (stdout and stderr) written to {@code log}. */
    static void run(List<String> command, Path directory, Path log, long timeoutSeconds) {
        await(command, start(command, directory, log), log, timeoutSeconds);
    }

    /** Runs {@code command} and returns what it printed on stdout; stderr goes to {@code log}. */
    static String output(List<String> command, Path directory, Path log, long timeoutSeconds) {
        Path stdout = log.resolveSibling(log.getFileName() + ".out");
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.to(stdout.toFile()))
                    .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw missing(command, e);
        }
        await(command, process, log, timeoutSeconds);
        return read(stdout);
    }

    private static void await(List<String> command, Process process, Path log, long timeoutSeconds) {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("%s did not finish within %d s; its output:%n%s"
                        .formatted(command.getFirst(), timeoutSeconds, tail(log)));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command.getFirst(), e);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("%s exited with %d: %s%n%s"
                    .formatted(command.getFirst(), process.exitValue(), String.join(" ", command), tail(log)));
        }
    }

    /** Starts {@code command} without waiting for it; its output goes to {@code log}. */
    static Process start(List<String> command, Path directory, Path log) {
        try {
            Files.createDirectories(log.getParent());
            return new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw missing(command, e);
        }
    }

    private static AssertionError missing(List<String> command, IOException cause) {
        return new AssertionError("cannot run " + command.getFirst()
                + ": the image check needs it on PATH (.ci/run installs docker-registry, skopeo and mmdebstrap)", cause);
    }

    static String tail(Path log) {
        String text = read(log);
        return text.length() <= TAIL_CHARACTERS ? text : "..." + text.substring(text.length() - TAIL_CHARACTERS);
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }
}
