package dev.seedloop.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.seedloop.cli.client.Answer;
import dev.seedloop.cli.client.ExitCode;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.GatewayRecords;
import dev.seedloop.cli.client.GatewayRecords.ControlAccepted;
import dev.seedloop.cli.client.GatewayRecords.StudyAccepted;
import dev.seedloop.cli.client.GatewayRecords.StudyAction;
import dev.seedloop.cli.client.StudyLookup;
import dev.seedloop.cli.client.StudyStream;
import dev.seedloop.cli.watch.StudyProgress;
import dev.seedloop.cli.watch.StudyWatch;
import dev.seedloop.cli.watch.WatchDisplay;
import dev.seedloop.events.EventTypes;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.queries.Views.StudyPage;
import dev.seedloop.queries.Views.StudyView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seedloop study ...}. */
final class StudyCommands {

    private StudyCommands() {
    }

    @Command(description = "Create, list, inspect, follow and control studies.")
    static final class Study {
    }

    @Command(description = {"Create a study from a spec file (YAML or JSON, sent as application/yaml).",
            "A `workspace:` or `validation.heldOutData:` that is not a tree hash (sha256:...) is a local directory "
                    + "(relative to the spec file's directory): it is uploaded (skipped when your team has it) and "
                    + "the spec is sent with its tree hash in its place; only that value of the text changes, "
                    + "and specSha256 is the hash of the text sent."})
    static final class Create implements Callable<Integer> {

        private final Cli cli;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "SPEC", description = "The study spec.")
        Path file;

        Create(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            SpecFile spec = SpecFile.read(file);
            GatewayClient gateway = cli.gateway();
            Answer<StudyAccepted> answer = gateway.createStudy(withUploadedDirectories(cli, gateway, spec));
            if (cli.json()) {
                cli.printJson(answer.json());
            } else {
                StudyAccepted study = answer.value();
                cli.out().println("Study " + study.studyId() + " created: \"" + study.name() + "\", team "
                        + study.team() + ", strategy " + study.strategy() + ", seed " + study.seed() + ".");
                cli.out().println("Follow it with: seedloop study watch " + study.studyId());
            }
            return ExitCode.OK;
        }
    }

    @Command(description = {"Start a new study from study ID at one of its sequence numbers, with its own spec "
            + "(e.g. another strategy, budget, search space or evaluator).",
            "The fork inherits what ID had evaluated by then (lineage and strategy history) and records its origin.",
            "Local directories in the spec are uploaded as for `study create`."})
    static final class Fork implements Callable<Integer> {

        private final Cli cli;

        @Parameters(paramLabel = "ID", description = "The study to fork.")
        String sourceId;

        @Option(names = "--at", paramLabel = "SEQ", description = "Its study sequence to fork at (default: its latest).")
        Long at;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "SPEC", description = "The fork's spec.")
        Path file;

        Fork(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            SpecFile spec = SpecFile.read(file);
            GatewayClient gateway = cli.gateway();
            Answer<StudyAccepted> answer = gateway.forkStudy(sourceId, at, withUploadedDirectories(cli, gateway, spec));
            if (cli.json()) {
                cli.printJson(answer.json());
            } else {
                StudyAccepted study = answer.value();
                cli.out().println("Study " + study.studyId() + " forked from " + study.forkedFrom() + " at sequence "
                        + study.forkedAt() + " (" + study.inherited() + " evaluated proposals inherited): \""
                        + study.name() + "\", strategy " + study.strategy() + ", seed " + study.seed() + ".");
                cli.out().println("Follow it with: seedloop study watch " + study.studyId());
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "baseline", description = {"Start a study's baseline: the same study (workspace, seed, budget)"
            + " with best-of-n sampling from the seed program for an llm study, random search for the others.",
            "Compare them afterwards with: seedloop study compare ID BASELINE"})
    static final class Baseline implements Callable<Integer> {

        private final Cli cli;

        @Parameters(paramLabel = "ID", description = "The study whose baseline to start.")
        String studyId;

        Baseline(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Answer<StudyAccepted> answer = cli.gateway().startBaseline(studyId);
            if (cli.json()) {
                cli.printJson(answer.json());
            } else {
                StudyAccepted study = answer.value();
                cli.out().println("Study " + study.studyId() + " is the baseline of " + study.baselineOf() + ": \""
                        + study.name() + "\", strategy " + study.strategy() + ", seed " + study.seed() + ".");
                cli.out().println("Compare them with: seedloop study compare " + study.baselineOf() + " "
                        + study.studyId());
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "compare", description = {"Compare two of your team's studies, e.g. a study and its baseline:"
            + " strategy, experiments evaluated, best value with its interval, improvement since the first champion,"
            + " model spend, and whether the difference shows."})
    static final class Compare implements Callable<Integer> {

        private final Cli cli;

        @Parameters(index = "0", paramLabel = "ID", description = "The study.")
        String studyId;

        @Parameters(index = "1", paramLabel = "OTHER", description = "The study to compare it with.")
        String otherId;

        Compare(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Answer<GatewayRecords.StudyComparison> answer = cli.gateway().compare(studyId, otherId);
            if (cli.json()) {
                cli.printJson(answer.json());
            } else {
                TextViews.comparison(cli.out(), answer.value());
            }
            return ExitCode.OK;
        }
    }

    /**
     * The spec's text to send: each local directory it names uploaded (one line on stderr each, so stdout stays the
     * study's answer) and replaced by its tree hash.
     */
    static String withUploadedDirectories(Cli cli, GatewayClient gateway, SpecFile spec) {
        return SpecUploads.withUploadedDirectories(gateway, spec, cli.err());
    }

    @Command(name = "list", description = "Your team's studies, newest first.")
    static final class ListStudies implements Callable<Integer> {

        private final Cli cli;

        @Option(names = "--status", paramLabel = "S", description = "created, running, paused, completed or halted.")
        String status;

        @Option(names = "--limit", paramLabel = "N", description = "At most N studies (the gateway's default: 50).")
        Integer limit;

        ListStudies(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Answer<StudyPage> answer = cli.gateway().studies(status, null, limit);
            if (cli.json()) {
                cli.printJson(answer.json());
            } else {
                TextViews.studies(cli.out(), answer.value());
            }
            return ExitCode.OK;
        }
    }

    @Command(description = "A study: status, budget, champion and its evidence, pending approvals, controls.")
    static final class Get implements Callable<Integer> {

        private final Cli cli;

        @Parameters(paramLabel = "ID", description = "The study id.")
        String studyId;

        Get(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Answer<StudyView> answer = cli.gateway().study(studyId);
            if (cli.json()) {
                cli.printJson(answer.json());
            } else {
                TextViews.study(cli.out(), answer.value());
            }
            return ExitCode.OK;
        }
    }

    @Command(description = {"Follow a study live until it ends: experiments done / budget, best value, champion "
            + "changes and candidates awaiting approval; reconnects by itself if the stream drops.",
            "Exits 0 when the study completes, 9 when it is halted. With --output json: the study's events "
                    + "from now on, one envelope per line."})
    static final class Watch implements Callable<Integer> {

        private static final Duration JUST_CREATED = Duration.ofSeconds(10);

        /**
         * Up to this many events the watch folds the study from its first event, which counts exactly and
         * names proposals by number; it takes well under a second. A longer study starts from its view
         * instead, as replaying a million events would keep the person waiting for minutes.
         */
        static final long EXACT_FOLD_LIMIT = 5_000;

        private final Cli cli;

        @Parameters(paramLabel = "ID", description = "The study id.")
        String studyId;

        Watch(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            GatewayClient gateway = cli.gateway();
            // `study create ... && study watch ID` must not fail because the learner is a moment behind.
            StudyView view = StudyLookup.await(gateway, studyId, cli.env.clock(), cli.env.sleeper(), JUST_CREATED)
                    .value();
            StudyStream stream = cli.stream(gateway);
            if (cli.json()) {
                return followAsJson(stream, view);
            }
            String budget = view.budget() == null ? "" : ", budget " + view.budget().used() + "/"
                    + view.budget().maxExperiments();
            cli.out().println("Study " + view.id() + " \"" + view.name() + "\": " + view.status() + budget
                    + ", strategy " + view.strategy() + ".");
            switch (view.status()) {
                case "completed" -> {
                    cli.out().println("It has completed" + (view.completionReason() == null ? "" : " ("
                            + view.completionReason() + ")") + ": seedloop study get " + view.id());
                    return ExitCode.OK;
                }
                case "halted" -> {
                    cli.out().println("It was halted.");
                    return ExitCode.HALTED;
                }
                default -> {
                    // follow it
                }
            }
            WatchDisplay display = new WatchDisplay(cli.out(), cli.env.terminal().interactive());
            StudyWatch watch = new StudyWatch(stream, display);
            StudyProgress progress;
            StudyWatch.Outcome outcome;
            if (view.lastSequence() <= EXACT_FOLD_LIMIT) {
                progress = new StudyProgress();
                outcome = watch.watch(studyId, progress, view.lastSequence());
            } else {
                // One node is the smallest page; only the champion history, always whole, is wanted.
                var champions = gateway.lineage(studyId, 0, 1).value().champions();
                progress = StudyProgress.resumedFrom(view, champions);
                outcome = watch.watchAfter(studyId, progress, view.lastSequence());
            }
            if (outcome == StudyWatch.Outcome.HALTED) {
                cli.out().println("Study halted.");
                return ExitCode.HALTED;
            }
            StudyCompleted completed = progress.completed();
            cli.out().println(completed == null ? "Study completed." : String.format(Locale.ROOT,
                    "Study completed: %s after %d experiments%s.", completed.reason(), completed.experimentsRun(),
                    completed.bestValue() == null ? ", no valid champion"
                            : String.format(Locale.ROOT, "; best %s %.4f", progress.metric(), completed.bestValue())));
            return ExitCode.OK;
        }

        private int followAsJson(StudyStream stream, StudyView view) {
            if ("completed".equals(view.status())) {
                return ExitCode.OK;
            }
            if ("halted".equals(view.status())) {
                return ExitCode.HALTED;
            }
            boolean[] halted = {false};
            stream.follow(studyId, view.lastSequence(), event -> {
                cli.printJson(event.data());
                halted[0] = EventTypes.STUDY_HALTED.equals(event.event());
                return !halted[0] && !EventTypes.STUDY_COMPLETED.equals(event.event());
            });
            return halted[0] ? ExitCode.HALTED : ExitCode.OK;
        }
    }

    /** pause, resume and halt: one command, three actions. */
    @Command
    static final class Control implements Callable<Integer> {

        private final Cli cli;
        private final StudyAction action;

        @Parameters(paramLabel = "ID", description = "The study id.")
        String studyId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in the study's events).")
        String reason;

        Control(Cli cli, StudyAction action) {
            this.cli = cli;
            this.action = action;
        }

        static String description(StudyAction action) {
            return switch (action) {
                case PAUSE -> "Pause a study: no new proposals until resumed; running experiments finish.";
                case RESUME -> "Resume a paused study.";
                case HALT -> "Halt a study for good; in-flight experiments stop within 10 s.";
            };
        }

        @Override
        public Integer call() {
            Answer<ControlAccepted> answer = cli.gateway().control(studyId, action, reason);
            if (cli.json()) {
                cli.printJson(answer.json());
            } else {
                TextViews.control(cli.out(), answer.value());
            }
            return ExitCode.OK;
        }
    }
}
