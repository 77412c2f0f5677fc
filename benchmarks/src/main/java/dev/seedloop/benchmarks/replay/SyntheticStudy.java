package dev.seedloop.benchmarks.replay;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.seedloop.events.Budget;
import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Observation;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.ValidationResult;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.domain.LearnerDecider;

/**
 * One long study as the loop writes it, deterministic from a seed: the sample study's spec (three
 * hyperparameters, val_loss minimised, automatic promotion, parallelism 4, a budget it never exhausts),
 * then per experiment ProposalCreated, ExperimentStarted, ExperimentCompleted (three repeats, a log tail,
 * validation) or, one in twelve, ExperimentFailed, EvaluationCompleted, ChampionChanged when it improves,
 * and the learner's StrategyUpdated carrying the latest 500 observations, as the real decider sends.
 * Experiments interleave (four in flight), and the study is paused and resumed every 20 000 experiments.
 * About 5.1 events per experiment; StrategyUpdated (~70 KB each) is most of the bytes.
 */
public final class SyntheticStudy implements Iterator<SyntheticStudy.Event> {

    /** An event and when the store recorded it (a little after it occurred, in sequence order). */
    public record Event(EventEnvelope envelope, Instant recordedAt) {
    }

    private static final String[] OPERATORS = {"mutate", "crossover", "random"};
    private static final String[] OPTIMIZERS = {"adam", "sgd", "adamw"};
    private static final int PARALLELISM = 4;
    private static final int PAUSE_EVERY = 20_000;

    private final String studyId;
    private final String team;
    private final UUID correlation;
    private final SplittableRandom rng;
    private final ArrayDeque<EventEnvelope> ready = new ArrayDeque<>();
    private final List<Experiment> inFlight = new ArrayList<>();
    private final ArrayDeque<Observation> observations = new ArrayDeque<>();
    private final UUID createdId;
    private long clockMillis;
    private long lastRecordedMicros;
    private int ordinal;
    private int evaluations;
    private int resumes;
    private double best = Double.POSITIVE_INFINITY;
    private UUID champion;

    /** One experiment on its way through the loop. */
    private static final class Experiment {
        final UUID proposal;
        final UUID experiment;
        final int ordinal;
        final String operator;
        final Map<String, Object> parameters;
        int stage;
        UUID lastEvent;
        Double mean;

        Experiment(UUID proposal, UUID experiment, int ordinal, String operator, Map<String, Object> parameters) {
            this.proposal = proposal;
            this.experiment = experiment;
            this.ordinal = ordinal;
            this.operator = operator;
            this.parameters = parameters;
        }
    }

    public SyntheticStudy(String studyId, long seed, Instant start) {
        this.studyId = studyId;
        this.team = SampleStudy.TEAM;
        this.rng = new SplittableRandom(seed);
        this.correlation = uuid();
        this.clockMillis = start.toEpochMilli();
        StudyCreated sample = SampleStudy.spec();
        // No target: the study runs for as long as the benchmark wants events.
        StudyCreated spec = new StudyCreated(sample.name(), new Objective("val_loss", Direction.MINIMIZE, null),
                sample.searchSpace(), new Budget(10_000_000, 400L * 86_400, PARALLELISM), sample.strategy(), seed,
                sample.specSha256(), sample.workspace(), sample.experiment(), sample.validation(),
                sample.protectedPaths(), sample.strategyOptions(), PromotionPolicy.AUTO, "alice-researcher", null);
        EventEnvelope created = emit(Services.GATEWAY, null, spec);
        createdId = created.eventId();
        for (int i = 0; i < PARALLELISM; i++) {
            propose(createdId);
        }
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Event next() {
        if (ready.isEmpty()) {
            advance(inFlight.get(rng.nextInt(inFlight.size())));
        }
        EventEnvelope next = ready.poll();
        long occurredMicros = next.occurredAt().toEpochMilli() * 1000;
        // The learner stores an event tens of milliseconds after it happened, and in sequence order.
        lastRecordedMicros = Math.max(lastRecordedMicros + 1, occurredMicros + 20_000 + rng.nextInt(200_000));
        return new Event(next, Instant.ofEpochSecond(lastRecordedMicros / 1_000_000,
                (lastRecordedMicros % 1_000_000) * 1000));
    }

    private void advance(Experiment x) {
        switch (x.stage++) {
            case 0 -> x.lastEvent = emit(Services.IMPLEMENTER, x.lastEvent, new ExperimentStarted(x.experiment,
                    x.proposal, "local-process", "sha256:" + "2".repeat(64), 3)).eventId();
            case 1 -> finish(x);
            default -> evaluate(x);
        }
    }

    private void finish(Experiment x) {
        if (rng.nextInt(12) == 0) {
            x.lastEvent = emit(Services.IMPLEMENTER, x.lastEvent, new ExperimentFailed(x.experiment, x.proposal,
                    rng.nextBoolean() ? FailureReason.TIMEOUT : FailureReason.CRASHED, "exit code 137 after 600 s",
                    new ResourceUsage(600_000, 1_180_000, 2_048_000), logTail(x, 8) + "Killed\n")).eventId();
            return;
        }
        // Quality improves slowly with the study's age, with noise: champions get rarer as it goes on.
        double floor = 0.04 + 0.1 / (1 + x.ordinal / 500.0);
        x.mean = floor + 0.02 * -Math.log(1 - rng.nextDouble());
        List<RepeatResult> repeats = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("val_loss", x.mean + 0.002 * (rng.nextDouble() - 0.5));
            metrics.put("accuracy", 0.99 - x.mean + 0.001 * rng.nextDouble());
            repeats.add(new RepeatResult(1000L + r, metrics, 70_000 + rng.nextInt(5_000), 0));
        }
        x.lastEvent = emit(Services.IMPLEMENTER, x.lastEvent, new ExperimentCompleted(x.experiment, x.proposal,
                repeats, new ResourceUsage(214_632, 801_245, 3_145_728), logTail(x, 12),
                new ValidationResult(true, "tests passed", "12 passed in 3.1s\n"), x.mean + 0.004)).eventId();
    }

    private void evaluate(Experiment x) {
        inFlight.remove(x);
        evaluations++;
        UUID evaluationId = uuid();
        EventEnvelope evaluation;
        if (x.mean == null) {
            evaluation = emit(Services.EVALUATOR, x.lastEvent, new EvaluationCompleted(evaluationId, x.experiment,
                    x.proposal, Verdict.INVALID, "experiment failed", null, null, false, "sha256:" + "3".repeat(64)));
        } else {
            boolean wins = x.mean < best;
            evaluation = emit(Services.EVALUATOR, x.lastEvent, new EvaluationCompleted(evaluationId, x.experiment,
                    x.proposal, wins ? Verdict.NEW_CHAMPION : Verdict.NOT_BETTER,
                    wins ? "mean val_loss beats the champion (Welch t-test)" : "not better than the champion",
                    new MetricSummary("val_loss", 3, x.mean, 0.0017, x.mean - 0.004, x.mean + 0.004),
                    wins ? 0.003 : 0.41, true, "sha256:" + "3".repeat(64), x.mean + 0.004));
            if (wins) {
                emit(Services.EVALUATOR, evaluation.eventId(), new ChampionChanged(x.proposal, champion, evaluationId,
                        x.mean));
                best = x.mean;
                champion = x.proposal;
            }
        }
        observations.addLast(new Observation(x.proposal, x.ordinal, x.operator, x.parameters, x.mean));
        if (observations.size() > LearnerDecider.MAX_OBSERVATIONS_SHARED) {
            observations.removeFirst();
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        double mutate = 0.3 + 0.4 * rng.nextDouble();
        weights.put("crossover", (1 - mutate) * 0.6);
        weights.put("mutate", mutate);
        weights.put("random", (1 - mutate) * 0.4);
        emit(Services.LEARNER, evaluation.eventId(), new StrategyUpdated(evaluations + resumes, 1, weights,
                String.format(java.util.Locale.ROOT, "evaluation; evaluations %d, in-flight %d, remaining budget %d;"
                        + " no improvement; stagnation 3/10; restart=false", evaluations, PARALLELISM - 1,
                        10_000_000 - evaluations), ordinal, List.copyOf(observations)));
        if (evaluations % PAUSE_EVERY == 0) {
            emit(Services.GATEWAY, null, new StudyPaused("alice@example.org", "GPU maintenance window"));
            clockMillis += 3_600_000;
            emit(Services.GATEWAY, null, new StudyResumed("alice@example.org"));
            resumes++;
        }
        propose(evaluation.eventId());
    }

    private void propose(UUID cause) {
        String operator = OPERATORS[rng.nextInt(OPERATORS.length)];
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("learning_rate", Math.pow(10, -5 + 4 * rng.nextDouble()));
        parameters.put("batch_size", 16 + rng.nextInt(241));
        parameters.put("optimizer", OPTIMIZERS[rng.nextInt(OPTIMIZERS.length)]);
        List<UUID> parents = champion == null || operator.equals("random") ? List.of() : List.of(champion);
        Experiment x = new Experiment(uuid(), uuid(), ordinal++, operator, parameters);
        x.lastEvent = emit(Services.PROPOSER, cause, new ProposalCreated(x.proposal, x.ordinal, "evolutionary",
                operator, parameters, parents)).eventId();
        inFlight.add(x);
    }

    private String logTail(Experiment x, int epochs) {
        StringBuilder log = new StringBuilder();
        for (int epoch = 20 - epochs + 1; epoch <= 20; epoch++) {
            log.append(String.format(java.util.Locale.ROOT, "epoch %d/20 train_loss=%.4f val_loss=%.4f lr=%.2e%n",
                    epoch, 0.3 / epoch + rng.nextDouble() * 0.01, 0.2 / epoch + rng.nextDouble() * 0.01,
                    (Double) x.parameters.get("learning_rate")));
        }
        return log.toString();
    }

    private EventEnvelope emit(String producer, UUID causation, EventPayload payload) {
        clockMillis += 200 + rng.nextInt(20_000);
        EventEnvelope e = new EventEnvelope(uuid(), studyId, team, Instant.ofEpochMilli(clockMillis), causation,
                correlation, producer, payload);
        ready.add(e);
        return e;
    }

    /** A version-4 UUID from the seeded generator. */
    private UUID uuid() {
        long most = (rng.nextLong() & ~0xF000L) | 0x4000L;
        long least = (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least);
    }
}
