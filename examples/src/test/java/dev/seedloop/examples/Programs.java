package dev.seedloop.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Runs the examples' single-file programs for real, in throw-away copies of their workspaces. */
final class Programs {

    /** The examples module directory. */
    static final Path EXAMPLES = Path.of(System.getProperty("seedloop.examples.dir", ".")).toAbsolutePath().normalize();

    /**
     * Flags that keep each program's JVM small and quick to start. A source-file program spends most of its start
     * loading the compiler's classes: the first run archives them (class data sharing) in the module's target
     * directory and every later run maps them instead, about a third less time per run. The programs behave the same.
     */
    static final List<String> JVM_FLAGS = List.of("-Xmx128m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData", "-XX:+AutoCreateSharedArchive",
            "-XX:SharedArchiveFile=" + EXAMPLES.resolve("target").resolve("source-programs.jsa"));

    private static final Pattern METRIC = Pattern.compile("\"([^\"]+)\"\\s*:\\s*(-?[0-9.eE+-]+)");

    record Result(int exitCode, String stdout, String stderr) {
        /** The numbers of the last stdout line that is a JSON object (the metrics protocol). */
        Map<String, Double> metrics() {
            List<String> lines = stdout.lines().map(String::strip).toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (line.startsWith("{") && line.endsWith("}")) {
                    Map<String, Double> out = new LinkedHashMap<>();
                    Matcher m = METRIC.matcher(line);
                    while (m.find()) {
                        out.put(m.group(1), Double.parseDouble(m.group(2)));
                    }
                    return out;
                }
            }
            throw new AssertionError("no JSON metrics line in stdout: " + stdout + "\nstderr: " + stderr);
        }

        double metric(String name) {
            Double v = metrics().get(name);
            if (v == null) {
                throw new AssertionError("no metric " + name + " in " + stdout + "\nstderr: " + stderr);
            }
            return v;
        }
    }

    private Programs() {
    }

    /** The java launcher of the JVM running the tests. */
    static String java() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** A fresh copy of a workspace directory (relative to the examples module) in {@code tmp}. */
    static Path copyWorkspace(String workspace, Path tmp) {
        Path source = EXAMPLES.resolve(workspace);
        Path target = tmp.resolve("ws-" + System.nanoTime());
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes params.json as a flat JSON object (numbers as numbers, everything else as strings). */
    static void writeParams(Path ws, Map<String, ?> params) {
        StringBuilder sb = new StringBuilder("{");
        params.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(k).append("\": ");
            sb.append(v instanceof Number ? v.toString() : "\"" + v + "\"");
        });
        try {
            Files.writeString(ws.resolve("params.json"), sb.append('}').toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code java FLAGS program args} in ws with extra environment variables. */
    static Result runJava(Path ws, Map<String, String> env, String program, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(java());
        argv.addAll(JVM_FLAGS);
        argv.add(program);
        argv.addAll(List.of(args));
        return run(ws, env, argv, false);
    }

    /** Runs argv in ws; with {@code clearEnv} only PATH (as in the sandbox) and env are set. */
    static Result run(Path ws, Map<String, String> env, List<String> argv, boolean clearEnv) {
        try {
            Path out = Files.createTempFile(ws.getParent(), "out", ".txt");
            Path err = Files.createTempFile(ws.getParent(), "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(argv).directory(ws.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            if (clearEnv) {
                pb.environment().clear();
                pb.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
                pb.environment().put("HOME", ws.toString());
                pb.environment().put("LANG", "C.UTF-8");
            }
            pb.environment().remove("SEEDLOOP_TEST_CORRUPT");
            pb.environment().remove("NOISE");
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + argv);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
