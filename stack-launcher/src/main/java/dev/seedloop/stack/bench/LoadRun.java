package dev.seedloop.stack.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.seedloop.cli.client.ApiException;
import dev.seedloop.cli.client.GatewayClient;
import dev.seedloop.cli.client.GatewayRecords.TeamQuota;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.queries.Views.StudySummaryView;

/**
 * Many studies of several teams at once, each of trivial experiments, through the gateway: created together, waited
 * for, then checked. The checks, each a line of {@link Report#problems()}: every study completed with its whole
 * budget; per proposal exactly one ExperimentStarted, one outcome and one EvaluationCompleted, and nothing for a
 * proposal the study never made (nothing lost, nothing duplicated); event ids unique and sequences 1..n without a
 * gap; every event on a study's stream carries that study's id and team; another team gets 404 for the study and
 * its events and does not see it listed. The timing: from the first creation to the last StudyCompleted, and where
 * the time went per stage ({@link StageLatencies}).
 */
public final class LoadRun {

    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);
    private static final int LIST_PAGE = 100;
    private static final Duration BUSY_WAIT = Duration.ofSeconds(60);

    /** A team: its researcher creates and reads the studies, its admin raises the quota when it is too small. */
    public record Team(String name, GatewayClient researcher, GatewayClient admin) {
    }

    /** {@code studiesPerTeam} studies for every team, each of {@code experiments}, {@code parallelism} at a time. */
    public record Plan(int studiesPerTeam, int experiments, int parallelism, Duration timeout) {
    }

    /** One study of the run: its team, its stored events, and when its completion was made. */
    public record StudyRun(String id, String team, List<StudyEvents.Stored> events, Instant completedAt) {
    }

    /**
     * @param seconds  from the first creation to the last StudyCompleted (to the timeout when one is missing)
     * @param problems every broken check, one line each; empty when all held
     */
    public record Report(Plan plan, int teams, double seconds, List<StudyRun> studies, StageLatencies latencies,
            Samples studySeconds, List<String> problems) {

        public boolean passed() {
            return problems.isEmpty();
        }

        public int experiments() {
            return (int) studies.stream().flatMap(s -> s.events().stream())
                    .filter(e -> e.envelope().payload() instanceof ExperimentCompleted).count();
        }

        /**
         * Experiments per second while the implementer had work: completed experiments over the time from the first
         * ExperimentStarted to the last ExperimentCompleted of the run.
         */
        public double experimentsPerSecond() {
            List<EventEnvelope> all = studies.stream().flatMap(s -> s.events().stream()).map(StudyEvents.Stored::envelope)
                    .toList();
            Instant first = all.stream().filter(e -> e.payload() instanceof ExperimentStarted)
                    .map(EventEnvelope::occurredAt).min(Instant::compareTo).orElse(null);
            Instant last = all.stream().filter(e -> e.payload() instanceof ExperimentCompleted)
                    .map(EventEnvelope::occurredAt).max(Instant::compareTo).orElse(null);
            if (first == null || last == null || !last.isAfter(first)) {
                return Double.NaN;
            }
            return experiments() / (Duration.between(first, last).toMillis() / 1e3);
        }

        public void print(PrintStream out) {
            out.printf(Locale.ROOT, "%d studies (%d teams), %d experiments each, parallelism %d: %s in %.1f s "
                            + "(first creation to last StudyCompleted); %d experiments completed, %.1f experiments/s "
                            + "from the first start to the last completion%n", studies.size(), teams,
                    plan.experiments(), plan.parallelism(), passed() ? "all completed" : "NOT all completed", seconds,
                    experiments(), experimentsPerSecond());
            out.printf(Locale.ROOT, "Per study, creation of the first to its completion: p50 %.1f s, max %.1f s%n",
                    studySeconds.percentile(50) / 1e3, studySeconds.max() / 1e3);
            latencies.print(out);
            if (passed()) {
                out.println("Checks held: every study complete with its whole budget; per proposal one start, one "
                        + "outcome, one evaluation; ids unique, sequences gap-free; every event its study's and team's; "
                        + "each team got 404 for the other's studies and events and did not list them.");
            } else {
                out.println(problems.size() + " checks FAILED:");
                problems.stream().limit(50).forEach(problem -> out.println("  " + problem));
            }
        }
    }

    private LoadRun() {
    }

    public static Report run(List<Team> teams, Plan plan, PrintStream out) throws Exception {
        for (Team team : teams) {
            ensureQuota(team, plan, out);
        }
        Map<String, String> trees = new HashMap<>();
        for (Team team : teams) {
            trees.put(team.name(), TrivialStudy.upload(team.researcher()));
        }
        Map<String, Team> owner = new LinkedHashMap<>();
        Instant started = Instant.now();
        long seed = started.toEpochMilli();
        // Interleaved, so both teams' studies start together.
        for (int i = 0; i < plan.studiesPerTeam(); i++) {
            for (Team team : teams) {
                String spec = TrivialStudy.spec(trees.get(team.name()), "load " + team.name() + " " + (i + 1),
                        plan.experiments(), plan.parallelism(), seed++);
                owner.put(team.researcher().createStudy(spec).value().studyId(), team);
            }
        }
        out.printf(Locale.ROOT, "Created %d studies (%d teams x %d) of %d trivial experiments each, parallelism %d.%n",
                owner.size(), teams.size(), plan.studiesPerTeam(), plan.experiments(), plan.parallelism());
        Set<String> pending = awaitCompletion(owner, teams, plan, started, out);

        List<String> problems = new ArrayList<>();
        pending.forEach(id -> problems.add("study " + id + " (" + owner.get(id).name() + ") did not complete within "
                + plan.timeout().toSeconds() + " s"));
        List<StudyRun> runs = new ArrayList<>();
        StageLatencies latencies = new StageLatencies();
        Samples studySeconds = new Samples();
        Instant last = started;
        for (Map.Entry<String, Team> study : owner.entrySet()) {
            List<StudyEvents.Stored> events = retrying(() -> StudyEvents.read(study.getValue().researcher(),
                    study.getKey()));
            Instant completedAt = events.stream().filter(e -> e.envelope().payload() instanceof StudyCompleted)
                    .map(e -> e.envelope().occurredAt()).findFirst().orElse(null);
            runs.add(new StudyRun(study.getKey(), study.getValue().name(), events, completedAt));
            checkStream(study.getKey(), study.getValue().name(), events, plan, problems);
            latencies.add(StudyEvents.envelopes(events));
            if (completedAt != null) {
                studySeconds.add(Duration.between(started, completedAt).toMillis());
                last = completedAt.isAfter(last) ? completedAt : last;
            }
        }
        checkIsolation(owner, teams, problems);
        double seconds = pending.isEmpty() ? Duration.between(started, last).toMillis() / 1e3 : plan.timeout().toSeconds();
        return new Report(plan, teams.size(), seconds, runs, latencies, studySeconds, problems);
    }

    /**
     * Raises the team's quota (as its admin) when it cannot hold the run: every study at once, and every experiment
     * on top of what the team ran today; then waits until the learner applies it (admission reads its read model).
     */
    private static void ensureQuota(Team team, Plan plan, PrintStream out) throws InterruptedException {
        TeamQuota quota = retrying(() -> team.researcher().quota(team.name()).value());
        int concurrent = quota.activeStudies() + plan.studiesPerTeam();
        int perDay = quota.experimentsToday() + plan.studiesPerTeam() * plan.experiments();
        if (quota.maxConcurrentStudies() >= concurrent && quota.maxExperimentsPerDay() >= perDay) {
            return;
        }
        int wantConcurrent = Math.max(quota.maxConcurrentStudies(), concurrent);
        int wantPerDay = Math.max(quota.maxExperimentsPerDay(), perDay);
        team.admin().setQuota(team.name(), wantConcurrent, wantPerDay);
        out.printf(Locale.ROOT, "Raised %s's quota to %d concurrent studies and %d experiments a day.%n", team.name(),
                wantConcurrent, wantPerDay);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            TeamQuota now = retrying(() -> team.researcher().quota(team.name()).value());
            if (now.maxConcurrentStudies() == wantConcurrent && now.maxExperimentsPerDay() == wantPerDay) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the quota of " + team.name() + " still reads " + now);
            }
            Thread.sleep(200);
        }
    }

    /** Waits until every study lists as completed, or the timeout; the ids still pending then. */
    private static Set<String> awaitCompletion(Map<String, Team> owner, List<Team> teams, Plan plan, Instant started,
                                               PrintStream out) throws InterruptedException {
        Set<String> pending = new HashSet<>(owner.keySet());
        int total = owner.size() * plan.experiments();
        long deadline = System.nanoTime() + plan.timeout().toNanos();
        long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            int used = 0;
            for (Team team : teams) {
                for (StudySummaryView summary : listed(team, owner.keySet())) {
                    used += summary.budgetUsed();
                    if ("completed".equals(summary.status()) || "halted".equals(summary.status())) {
                        pending.remove(summary.id());
                    }
                }
            }
            if (System.nanoTime() > nextProgress || pending.isEmpty()) {
                nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
                out.printf(Locale.ROOT, "  %4.0f s: %d/%d studies completed, %d/%d experiments run%n",
                        Duration.between(started, Instant.now()).toMillis() / 1e3, owner.size() - pending.size(),
                        owner.size(), used, total);
            }
        }
        return pending;
    }

    /** The team's listed studies among {@code ids} (newest first, so the run's are on the first pages). */
    private static List<StudySummaryView> listed(Team team, Set<String> ids) {
        List<StudySummaryView> found = new ArrayList<>();
        int offset = 0;
        while (true) {
            int from = offset;
            var page = retrying(() -> team.researcher().studies(null, from, LIST_PAGE).value());
            page.items().stream().filter(s -> ids.contains(s.id())).forEach(found::add);
            offset += page.items().size();
            if (page.items().isEmpty() || offset >= page.total()) {
                return found;
            }
        }
    }

    /** One study's stream: complete, each proposal carried through once, every event its own. */
    static void checkStream(String studyId, String team, List<StudyEvents.Stored> events, Plan plan,
                            List<String> problems) {
        String at = "study " + studyId + " (" + team + "): ";
        Set<UUID> ids = new HashSet<>();
        long expected = 1;
        for (StudyEvents.Stored stored : events) {
            EventEnvelope event = stored.envelope();
            if (!event.studyId().equals(studyId) || !event.team().equals(team)) {
                problems.add(at + "event " + event.eventId() + " (" + event.type() + ") belongs to study "
                        + event.studyId() + " of " + event.team());
            }
            if (!ids.add(event.eventId())) {
                problems.add(at + "event " + event.eventId() + " stored twice");
            }
            if (stored.sequence() != expected) {
                problems.add(at + "sequence " + stored.sequence() + " where " + expected + " was next");
            }
            expected = stored.sequence() + 1;
        }
        List<StudyCompleted> completions = payloads(events, StudyCompleted.class);
        if (completions.size() != 1) {
            problems.add(at + completions.size() + " StudyCompleted");
        } else if (completions.get(0).experimentsRun() != plan.experiments()) {
            problems.add(at + "completed (" + completions.get(0).reason() + ") after "
                    + completions.get(0).experimentsRun() + " of " + plan.experiments() + " experiments");
        }
        Map<UUID, Long> proposals = count(payloads(events, ProposalCreated.class), ProposalCreated::proposalId);
        if (proposals.size() != plan.experiments()) {
            problems.add(at + proposals.size() + " proposals for a budget of " + plan.experiments());
        }
        Map<String, Map<UUID, Long>> perStage = new LinkedHashMap<>();
        perStage.put("ProposalCreated", proposals);
        perStage.put("ExperimentStarted", count(payloads(events, ExperimentStarted.class),
                ExperimentStarted::proposalId));
        Map<UUID, Long> outcomes = new HashMap<>(count(payloads(events, ExperimentCompleted.class),
                ExperimentCompleted::proposalId));
        count(payloads(events, ExperimentFailed.class), ExperimentFailed::proposalId)
                .forEach((proposal, n) -> outcomes.merge(proposal, n, Long::sum));
        perStage.put("experiment outcome", outcomes);
        perStage.put("EvaluationCompleted", count(payloads(events, EvaluationCompleted.class),
                EvaluationCompleted::proposalId));
        perStage.forEach((stage, counts) -> {
            counts.forEach((proposal, n) -> {
                if (n != 1) {
                    problems.add(at + n + " " + stage + " for proposal " + proposal);
                }
                if (!proposals.containsKey(proposal)) {
                    problems.add(at + stage + " for proposal " + proposal + ", which the study never made");
                }
            });
            proposals.keySet().stream().filter(p -> !counts.containsKey(p)).findFirst().ifPresent(p ->
                    problems.add(at + "no " + stage + " for " + proposals.keySet().stream()
                            .filter(q -> !counts.containsKey(q)).count() + " proposals, e.g. " + p));
        });
        long failed = payloads(events, ExperimentFailed.class).size();
        if (failed > 0) {
            problems.add(at + failed + " trivial experiments failed");
        }
    }

    /** Each study as another team sees it: not at all. */
    private static void checkIsolation(Map<String, Team> owner, List<Team> teams, List<String> problems) {
        for (Team reader : teams) {
            Set<String> othersListed = listed(reader, owner.keySet()).stream().map(StudySummaryView::id)
                    .filter(id -> !owner.get(id).name().equals(reader.name())).collect(Collectors.toSet());
            othersListed.forEach(id -> problems.add(reader.name() + " lists study " + id + " of "
                    + owner.get(id).name()));
            owner.forEach((id, team) -> {
                if (team.name().equals(reader.name())) {
                    return;
                }
                expectNotFound(problems, reader.name() + " reads study " + id + " of " + team.name(),
                        () -> reader.researcher().study(id));
                expectNotFound(problems, reader.name() + " reads the events of study " + id + " of " + team.name(),
                        () -> reader.researcher().events(id, 0, 10, List.of()));
            });
        }
    }

    private static void expectNotFound(List<String> problems, String what, Runnable read) {
        try {
            retrying(() -> {
                read.run();
                return null;
            });
            problems.add(what + ": answered 200, not 404");
        } catch (ApiException e) {
            if (e.status() != 404) {
                problems.add(what + ": answered " + e.status() + ", not 404");
            }
        }
    }

    /**
     * A read the gateway may answer 503 while the learner is busy ("did not answer in time"): asked again, up to a
     * minute, so a saturated learner slows the run down instead of ending it.
     */
    static <T> T retrying(Supplier<T> read) {
        long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
        while (true) {
            try {
                return read.get();
            } catch (ApiException e) {
                if (e.status() != 503 || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static <T> List<T> payloads(List<StudyEvents.Stored> events, Class<T> type) {
        return events.stream().map(e -> e.envelope().payload()).filter(type::isInstance).map(type::cast).toList();
    }

    private static <T> Map<UUID, Long> count(List<T> payloads, Function<T, UUID> proposal) {
        return payloads.stream().collect(Collectors.groupingBy(proposal, Collectors.counting()));
    }
}
