package dev.seedloop.learner.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.seedloop.events.Budget;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.Objective;
import dev.seedloop.events.Observation;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.Verdict;

/**
 * Same study, same requests (ADR 0021): the learner's requests are a function of the results by ordinal, not of
 * the order experiments finish in. The same study (a proposer stand-in whose point is a function of the request
 * alone, experiments whose value is a function of the point, one proposal in seven rejected) is run under many random
 * completion orders with the real learner (fold, decide, fold its decisions back); every run must ask for the same
 * ordinals with the same history and weights, and end with the same champion.
 */
class DeterministicRequestsTest {

    private static final String STUDY = "study-deterministic";
    private static final UUID CORRELATION = UUID.fromString("00000000-0000-7000-8000-00000000d0d0");
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    /** What one run asked for: per request ordinal, its count, the history's ordinals and values, its weights. */
    record Asked(int nextOrdinal, int count, List<String> history, Map<String, Double> weights) {
    }

    record Outcome(List<Asked> requests, String completion, Double best, UUID champion, int evaluations) {
    }

    @Test
    void everyCompletionOrderGivesTheSameRequestsAndTheSameChampion() {
        for (int parallelism : new int[] {2, 3}) {
            Outcome reference = run(1, parallelism);
            assertThat(reference.requests()).as("requests of parallelism %d", parallelism).hasSizeGreaterThan(10);
            assertThat(reference.completion()).isEqualTo(LearnerDecider.BUDGET_EXHAUSTED);
            assertThat(reference.evaluations()).isEqualTo(20);
            int differentOrders = 0;
            for (long order = 2; order <= 60; order++) {
                Outcome other = run(order, parallelism);
                assertThat(other).as("completion order %d, parallelism %d", order, parallelism).isEqualTo(reference);
                differentOrders += other.requests().equals(reference.requests()) ? 1 : 0;
            }
            assertThat(differentOrders).isEqualTo(59);
        }
    }

    @Test
    void theCompletionOrdersDiffer() {
        // The harness's orders do differ (else the test above would prove nothing).
        assertThat(completionOrder(1, 2)).isNotEqualTo(completionOrder(2, 2));
    }

    private final List<String> orders = new ArrayList<>();

    private List<String> completionOrder(long order, int parallelism) {
        orders.clear();
        run(order, parallelism);
        return List.copyOf(orders);
    }

    private Outcome run(long completionOrder, int parallelism) {
        SplittableRandom rng = new SplittableRandom(completionOrder);
        long[] ids = {0};
        StudyState[] study = {StudyState.EMPTY};
        StrategyState[] strategy = {StrategyState.initial(StrategySettings.DEFAULTS)};
        TreeMap<Integer, Asked> asked = new TreeMap<>();
        List<EventEnvelope> running = new ArrayList<>();
        List<EventEnvelope> proposalsOut = new ArrayList<>();
        String[] completion = {null};
        double[] best = {Double.POSITIVE_INFINITY};
        Instant[] clock = {T0};

        java.util.function.Function<EventEnvelope, List<EventEnvelope>> learner = e -> {
            List<EventEnvelope> out = new ArrayList<>();
            List<EventEnvelope> pending = new ArrayList<>(List.of(e));
            while (!pending.isEmpty()) {
                EventEnvelope next = pending.removeFirst();
                StudyState before = study[0];
                study[0] = StudyFold.evolve(before, next);
                strategy[0] = StrategyFold.evolve(strategy[0], before, next);
                // The learner's own decisions are folded back, as the recorder does.
                List<EventEnvelope> decided = LearnerDecider.decide(before, study[0], strategy[0], next, clock[0],
                        Deciders.DEFAULT.sizes());
                pending.addAll(decided);
                out.addAll(decided);
            }
            return out;
        };
        java.util.function.BiFunction<EventEnvelope, EventPayload, EventEnvelope> caused = (cause, payload) ->
                cause.caused(EventIds.derived(CORRELATION, "run-event-" + ids[0]++), clock[0], "stand-in", payload);

        EventEnvelope created = EventEnvelope.firstOfChain(CORRELATION, STUDY, "team", T0, Services.GATEWAY,
                new StudyCreated("det", new Objective("loss", Direction.MINIMIZE, null),
                        new SearchSpace(List.of(Parameter.floating("x", 0.0, 1.0, false))),
                        new Budget(20, 86_400, parallelism), "evolutionary", 5, "sha256:" + "1".repeat(64)));
        List<EventEnvelope> decisions = new ArrayList<>(learner.apply(created));
        if (decisions.isEmpty()) {
            // A learner from before ADR 0021 left the first batch to the proposer, which made it on StudyCreated.
            decisions.add(created.caused(EventIds.derived(CORRELATION, "first-batch"), T0, Services.LEARNER,
                    new StrategyUpdated(0, parallelism, Map.of(), "made on StudyCreated", 0, List.of())));
        }
        while (true) {
            // The proposer answers every request at once: a point that is a function of the request alone.
            for (EventEnvelope d : decisions) {
                switch (d.payload()) {
                    case StrategyUpdated u when u.proposalsRequested() > 0 -> {
                        asked.put(u.nextOrdinal(), new Asked(u.nextOrdinal(), u.proposalsRequested(),
                                u.observations().stream().map(o -> o.ordinal() + "=" + o.value()).toList(),
                                u.operatorWeights()));
                        for (int ordinal = u.nextOrdinal(); ordinal < u.nextOrdinal() + u.proposalsRequested();
                             ordinal++) {
                            UUID proposalId = EventIds.derived(d.correlationId(), "proposal:" + ordinal);
                            EventPayload proposal = ordinal % 7 == 3
                                    ? new ProposalRejected(proposalId, "protected path", List.of("tests/"))
                                    : new ProposalCreated(proposalId, ordinal, "evolutionary", "mutate",
                                            Map.of("x", point(ordinal, u.observations())), List.of());
                            proposalsOut.add(caused.apply(d, proposal));
                        }
                    }
                    case StudyCompleted c -> completion[0] = c.reason();
                    default -> {
                    }
                }
            }
            decisions = new ArrayList<>();
            if (completion[0] != null) {
                break;
            }
            for (EventEnvelope p : proposalsOut) {
                decisions.addAll(learner.apply(p));
                if (p.payload() instanceof ProposalCreated pc) {
                    running.add(caused.apply(p, new ExperimentStarted(EventIds.derived(pc.proposalId(), "experiment"),
                            pc.proposalId(), "sim", "sha256:" + "2".repeat(64), 1)));
                }
            }
            proposalsOut.clear();
            if (running.isEmpty()) {
                if (decisions.isEmpty()) {
                    break;
                }
                continue;
            }
            // One experiment finishes: any of those running, as chance has it.
            EventEnvelope started = running.remove(rng.nextInt(running.size()));
            clock[0] = clock[0].plusSeconds(1 + rng.nextInt(60));
            ExperimentStarted s = (ExperimentStarted) started.payload();
            Lineage made = study[0].lineage().get(s.proposalId());
            orders.add(String.valueOf(made.ordinal()));
            double value = objective((Double) made.parameters().get("x"));
            learner.apply(started);
            EventEnvelope done = caused.apply(started, new ExperimentCompleted(s.experimentId(), s.proposalId(),
                    List.of(new RepeatResult(1, Map.of("loss", value), 1, 0)), ResourceUsage.NONE, ""));
            decisions.addAll(learner.apply(done));
            boolean wins = value < best[0];
            best[0] = Math.min(best[0], value);
            decisions.addAll(learner.apply(caused.apply(done, new EvaluationCompleted(
                    EventIds.derived(s.experimentId(), "evaluation"), s.experimentId(), s.proposalId(),
                    wins ? Verdict.NEW_CHAMPION : Verdict.NOT_BETTER, "sim",
                    new MetricSummary("loss", 1, value, 0, value, value), null, true, "sha256:" + "3".repeat(64)))));
        }
        return new Outcome(List.copyOf(asked.values()), completion[0], study[0].bestValue(),
                study[0].championProposalId(), study[0].evaluations());
    }

    /** The proposer stand-in: a point that depends on the ordinal and the history it was sent, nothing else. */
    private static double point(int ordinal, List<Observation> history) {
        double h = ordinal * 0.6180339887;
        for (Observation o : history) {
            h += o.ordinal() * 0.1 + (o.value() == null ? 0.3 : o.value());
        }
        return h - Math.floor(h);
    }

    private static double objective(double x) {
        return (x - 0.3) * (x - 0.3);
    }
}
