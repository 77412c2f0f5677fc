package dev.seedloop.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.RepeatResult;

/**
 * {@code ./seedloop demo}: starts the stack if needed, runs the bin-packing example study to the end
 * with a live progress line, prints the champion against the best-fit baseline (paired on the same
 * instances, with a 95% interval) and where the full record is, then stops what it started.
 */
final class DemoCommand {

    private static final Duration STUDY_TIMEOUT = Duration.ofMinutes(15);
    private static final String TEAM = "demo";
    private static final Pattern STUDY_ID = Pattern.compile("\"studyId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern METRIC = Pattern.compile("\"([A-Za-z_][A-Za-z0-9_.-]*)\"\\s*:\\s*(-?[0-9.eE+-]+)");

    private DemoCommand() {
    }

    static int run(StackLayout layout) throws Exception {
        long started = System.nanoTime();
        Path example = layout.repositoryRoot().resolve("examples/bin-packing");
        Path workspace = example.resolve("workspace");
        if (!Files.isDirectory(workspace)) {
            System.err.println("The bin-packing example is missing: " + workspace);
            return 1;
        }
        boolean sandboxed = Files.isExecutable(Path.of("/usr/bin/bwrap"));
        if (!sandboxed) {
            System.out.println("""
                    bubblewrap (bwrap) is not installed, so experiments cannot run in the sandbox.
                    The demo's example is trusted code, so it runs them with the plain process runner instead.
                    For untrusted experiments install it first:  sudo apt-get install bubblewrap
                    """);
        }
        boolean startedStack = !SeedloopLauncher.isUp(layout);
        if (startedStack) {
            int up = SeedloopLauncher.up(layout, Map.of("SEEDLOOP_IMPLEMENTER_ALLOW_UNSANDBOXED",
                    Boolean.toString(!sandboxed)));
            if (up != 0) {
                return up;
            }
        }
        double stackSeconds = seconds(started);
        try {
            return runStudy(layout, example, workspace, started, stackSeconds);
        } finally {
            if (startedStack) {
                SeedloopLauncher.down(layout);
            }
        }
    }

    private static int runStudy(StackLayout layout, Path example, Path workspace, long started, double stackSeconds)
            throws Exception {
        String spec = Files.readString(example.resolve("study.yaml"))
                .replace("WORKSPACE", workspace.toAbsolutePath().toString());
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + StackLayout.GATEWAY_PORT + "/api/v1/studies"))
                .header("Content-Type", "application/yaml").header("X-Seedloop-Team", TEAM)
                .POST(HttpRequest.BodyPublishers.ofString(spec)).build(), HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            System.err.println("The gateway refused the study (" + created.statusCode() + "): " + created.body());
            return 1;
        }
        Matcher id = STUDY_ID.matcher(created.body());
        if (!id.find()) {
            System.err.println("The gateway's answer has no study id: " + created.body());
            return 1;
        }
        String studyId = id.group(1);
        System.out.println("Study " + studyId + " created (bin packing, team '" + TEAM + "').");
        long studyStart = System.nanoTime();
        boolean console = System.console() != null;
        String[] shown = {""};
        StudyProgress progress = new StudyWatcher("127.0.0.1:" + StackLayout.KAFKA_PORT).watch(studyId, STUDY_TIMEOUT,
                p -> {
                    String line = p.line();
                    if (line.equals(shown[0])) {
                        return;
                    }
                    shown[0] = line;
                    // On a terminal one line updates in place; in a log, one line per change.
                    System.out.print(console ? "\r  " + line + "   " : "  " + line + "\n");
                    System.out.flush();
                });
        if (console) {
            System.out.println();
        }
        if (progress.completed == null) {
            System.err.println(progress.halted ? "The study was halted." : "The study did not finish within "
                    + STUDY_TIMEOUT.toMinutes() + " minutes.");
            return 1;
        }
        double studySeconds = seconds(studyStart);
        System.out.println();
        System.out.printf(Locale.ROOT, "Study finished: %s after %d experiments in %.0f s.%n",
                progress.completed.reason(), progress.completed.experimentsRun(), studySeconds);
        printChampion(progress, workspace);
        Path record = exportRecord(layout, studyId);
        System.out.println();
        System.out.println("Full record: " + record + " (every event of the study, in order)");
        System.out.println("  also in PostgreSQL: select envelope from event_store where study_id = '" + studyId
                + "' order by study_sequence;");
        System.out.printf(Locale.ROOT, "Timing: stack ready in %.0f s, study %.0f s, demo total %.0f s.%n",
                stackSeconds, studySeconds, seconds(started));
        return 0;
    }

    private static void printChampion(StudyProgress progress, Path workspace) throws Exception {
        if (progress.championProposalId == null) {
            System.out.println("No valid champion: every experiment failed or was invalid.");
            return;
        }
        ProposalCreated champion = progress.proposals.get(progress.championProposalId);
        ExperimentCompleted evidence = progress.outcomes.get(progress.championProposalId);
        String metric = progress.spec.objective().metric();
        System.out.println("Champion (proposal #" + (champion == null ? "?" : champion.ordinal()) + ", operator "
                + (champion == null ? "?" : champion.operator()) + "):");
        if (champion != null) {
            champion.parameters().forEach((name, value) -> System.out.println("  " + name + " = " + value));
        }
        if (evidence == null) {
            System.out.printf(Locale.ROOT, "  %s = %.4f%n", metric, progress.best);
            return;
        }
        // Best-fit on exactly the champion's instances (same seeds): a paired comparison.
        List<Double> differences = new ArrayList<>();
        for (RepeatResult repeat : evidence.repeats()) {
            Double baseline = runBaseline(workspace, repeat.seed(), metric);
            Double value = repeat.metrics().get(metric);
            if (baseline != null && value != null) {
                differences.add(baseline - value);
            }
        }
        System.out.printf(Locale.ROOT, "  %s = %.4f (mean of %d repeats)%n", metric, progress.best,
                evidence.repeats().size());
        if (!differences.isEmpty()) {
            double mean = differences.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double halfWidth = halfWidth95(differences, mean);
            System.out.printf(Locale.ROOT,
                    "  improvement over best-fit: %.4f percentage points, 95%% interval [%.4f, %.4f] (paired, n=%d)%n",
                    mean, mean - halfWidth, mean + halfWidth, differences.size());
        }
        if (evidence.heldOutValue() != null) {
            System.out.printf(Locale.ROOT, "  held-out %s: %.4f (never shown to the proposer)%n",
                    progress.spec.validation() == null ? "metric" : progress.spec.validation().heldOutMetric(),
                    evidence.heldOutValue());
        }
    }

    /** Runs the example's best-fit baseline on one seed's instances; null if it could not. */
    private static Double runBaseline(Path workspace, long seed, String metric) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "BinPacking.java", "baseline").directory(workspace.toFile()).redirectErrorStream(true);
        builder.environment().put("SEEDLOOP_SEED", Long.toString(seed));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            return null;
        }
        String last = null;
        for (String line : output.split("\n")) {
            if (line.trim().startsWith("{")) {
                last = line;
            }
        }
        if (last == null) {
            return null;
        }
        Matcher m = METRIC.matcher(last);
        while (m.find()) {
            if (m.group(1).equals(metric)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return null;
    }

    /** Half-width of a 95% t interval of the mean (two-sided); 0 for a single value. */
    static double halfWidth95(List<Double> values, double mean) {
        int n = values.size();
        if (n < 2) {
            return 0;
        }
        double sumSquares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = Math.sqrt(sumSquares / (n - 1));
        return T_975[Math.min(n - 1, T_975.length - 1)] * sd / Math.sqrt(n);
    }

    /** Student's t 0.975 quantiles for 1..30 degrees of freedom (index = df), then the normal's. */
    private static final double[] T_975 = {Double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
        2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069,
        2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042, 1.960};

    private static Path exportRecord(StackLayout layout, String studyId) throws Exception {
        Path record = layout.home().resolve("studies").resolve(studyId + ".jsonl");
        Files.createDirectories(record.getParent());
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        // The learner stores the completion a moment after publishing it; wait for it to be there.
        while (true) {
            lines.clear();
            try (Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + StackLayout.POSTGRES_PORT
                    + "/" + StackLayout.DATABASE, "postgres", "postgres");
                 PreparedStatement query = db.prepareStatement(
                         "select envelope, event_type from event_store where study_id = ? order by study_sequence")) {
                query.setString(1, studyId);
                boolean complete = false;
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                        complete |= "seedloop.study.completed".equals(rows.getString(2));
                    }
                }
                if (complete || System.nanoTime() > deadline) {
                    break;
                }
            }
            Thread.sleep(300);
        }
        Files.write(record, lines, StandardCharsets.UTF_8);
        return record;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

}
