package dev.seedloop.stack;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.seedloop.cli.CliEnvironment;
import dev.seedloop.cli.SpecUploads;
import dev.seedloop.cli.client.CliException;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.GatewayRecords.StudyAccepted;
import dev.seedloop.cli.client.Json;
import dev.seedloop.cli.client.Sleeper;
import dev.seedloop.cli.client.StudyLookup;
import dev.seedloop.cli.client.StudyStream;
import dev.seedloop.cli.watch.StudyProgress;
import dev.seedloop.cli.watch.StudyWatch;
import dev.seedloop.cli.watch.WatchDisplay;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.queries.Views.EventPage;
import dev.seedloop.queries.Views.StoredEventView;

/**
 * {@code ./seedloop demo}: starts the stack if needed, logs in to Keycloak as a researcher and runs the
 * bin-packing example study through the gateway (created with {@code POST /api/v1/studies}, followed on
 * its event stream) with a live progress line, prints the dashboard's address to watch it in a browser, the champion
 * against the best-fit baseline (paired on the same instances, with a 95% interval) and where the full record is,
 * then stops what it started, unless {@code --keep} asks to leave the stack (and the dashboard) running.
 * Everything goes through the public API with a real token, using the CLI's client classes.
 */
final class DemoCommand {

    private static final Duration STUDY_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration LEARNER_WAIT = Duration.ofSeconds(60);
    /** A realm user with the researcher role in team-a (deploy/keycloak/seedloop-realm.json). */
    private static final String USER = "alice-researcher";
    private static final String PASSWORD = "alice-researcher-pw";
    private static final Pattern METRIC = Pattern.compile("\"([A-Za-z_][A-Za-z0-9_.-]*)\"\\s*:\\s*(-?[0-9.eE+-]+)");

    private DemoCommand() {
    }

    static int run(StackLayout layout, boolean keep) throws Exception {
        Path example = layout.repositoryRoot().resolve("examples/bin-packing");
        Path workspace = example.resolve("workspace");
        if (!Files.isDirectory(workspace)) {
            System.err.println("The bin-packing example is missing: " + workspace);
            return 1;
        }
        // The example is trusted code: without bubblewrap it runs with the plain process runner.
        LocalStack stack = LocalStack.open(layout, true).orElse(null);
        if (stack == null) {
            return 1;
        }
        if (keep) {
            stack.keepRunning();
        }
        try (stack) {
            return runStudy(stack, example, workspace);
        }
    }

    private static int runStudy(LocalStack stack, Path example, Path workspace) throws Exception {
        try {
            return runStudyThroughGateway(stack, example, workspace);
        } catch (CliException e) {
            System.err.println(e.getMessage());
            e.details().forEach(line -> System.err.println("  " + line));
            return 1;
        }
    }

    private static int runStudyThroughGateway(LocalStack stack, Path example, Path workspace) throws Exception {
        LocalStack.LoggedIn login = stack.login(USER, PASSWORD);
        GatewayClient gateway = login.gateway();
        System.out.println("Logged in to " + login.issuer() + " as " + login.user() + " (team " + login.team() + ").");

        // As `seedloop study create -f` does: the spec's workspace directory is uploaded and named by its tree hash.
        String spec = SpecUploads.withUploadedDirectories(gateway, example.resolve("study.yaml"), System.out);
        StudyAccepted created = gateway.createStudy(spec).value();
        String studyId = created.studyId();
        System.out.println("Study " + studyId + " created through the gateway (bin packing, team '" + created.team()
                + "').");
        String dashboard = "http://127.0.0.1:" + StackLayout.GATEWAY_PORT + "/dashboard/";
        System.out.println("Watch it in a browser: " + dashboard + "#/studies/" + studyId + " (log in as " + USER
                + ", password " + PASSWORD + ")");
        long studyStart = System.nanoTime();
        StudyLookup.await(gateway, studyId, Clock.systemUTC(), Sleeper.SYSTEM, LEARNER_WAIT);
        boolean console = System.console() != null;
        StudyStream stream = new StudyStream(gateway, Clock.systemUTC(), Sleeper.SYSTEM,
                CliEnvironment.DEFAULT_STREAM_GIVE_UP);
        StudyProgress progress = new StudyProgress();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "demo-timeout");
            thread.setDaemon(true);
            return thread;
        });
        StudyWatch.Outcome outcome;
        try {
            timer.schedule(stream::cancel, STUDY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // On a terminal one line updates in place; in a log, one line per change.
            outcome = new StudyWatch(stream, new WatchDisplay(System.out, console)).watch(studyId, progress, 0);
        } finally {
            timer.shutdownNow();
        }
        if (outcome != StudyWatch.Outcome.COMPLETED || progress.completed() == null) {
            System.err.println(outcome == StudyWatch.Outcome.HALTED ? "The study was halted."
                    : "The study did not finish within " + STUDY_TIMEOUT.toMinutes() + " minutes.");
            return 1;
        }
        double studySeconds = seconds(studyStart);
        System.out.println();
        System.out.printf(Locale.ROOT, "Study finished: %s after %d experiments in %.0f s.%n",
                progress.completed().reason(), progress.completed().experimentsRun(), studySeconds);
        printChampion(progress, workspace);
        Path record = exportRecord(stack.layout(), gateway, studyId);
        System.out.println();
        System.out.println("Full record: " + record + " (every event of the study, in order)");
        System.out.println("  also through the gateway: ./seedloop login --user " + USER + " && ./seedloop events "
                + studyId);
        System.out.println("  and in PostgreSQL: select envelope from event_store where study_id = '" + studyId
                + "' order by study_sequence;");
        System.out.printf(Locale.ROOT, "Timing: stack ready in %.0f s, study %.0f s, demo total %.0f s.%n",
                stack.readySeconds(), studySeconds, stack.secondsSinceOpened());
        System.out.println();
        System.out.println(stack.startedHere() && !stack.kept()
                ? "Dashboard: " + dashboard + " (this demo started the stack and stops it now; ./seedloop demo --keep"
                        + " leaves it running)"
                : "Dashboard: " + dashboard + " (the stack keeps running; ./seedloop down stops it)");
        return 0;
    }

    private static void printChampion(StudyProgress progress, Path workspace) throws Exception {
        if (progress.championProposalId() == null) {
            System.out.println("No valid champion: every experiment failed or was invalid.");
            return;
        }
        ProposalCreated champion = progress.proposal(progress.championProposalId());
        ExperimentCompleted evidence = progress.outcome(progress.championProposalId());
        String metric = progress.metric();
        System.out.println("Champion (proposal #" + (champion == null ? "?" : champion.ordinal()) + ", operator "
                + (champion == null ? "?" : champion.operator()) + "):");
        if (champion != null) {
            champion.parameters().forEach((name, value) -> System.out.println("  " + name + " = " + value));
        }
        if (evidence == null) {
            System.out.printf(Locale.ROOT, "  %s = %.4f%n", metric, progress.best());
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
        System.out.printf(Locale.ROOT, "  %s = %.4f (mean of %d repeats)%n", metric, progress.best(),
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
                    progress.spec().validation() == null ? "metric" : progress.spec().validation().heldOutMetric(),
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

    /**
     * Every stored event of the study, one envelope a line, read page by page from the gateway. The learner
     * stores the completion a moment after the stream showed it, so this waits (up to 20 s) for it to be there.
     */
    private static Path exportRecord(StackLayout layout, GatewayClient gateway, String studyId) throws Exception {
        Path record = layout.home().resolve("studies").resolve(studyId + ".jsonl");
        Files.createDirectories(record.getParent());
        List<String> lines = new ArrayList<>();
        long after = 0;
        boolean complete = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            EventPage page = gateway.events(studyId, after, 100, List.of()).value();
            for (StoredEventView item : page.items()) {
                lines.add(Json.write(item.event()));
                after = item.sequence();
                complete |= EventTypes.STUDY_COMPLETED.equals(item.event().path("type").asText());
            }
            if (page.more() && !page.items().isEmpty()) {
                continue;
            }
            if (complete || System.nanoTime() > deadline) {
                break;
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
