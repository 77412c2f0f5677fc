package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.Direction;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentFailed;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.FailureReason;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCompleted;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.Verdict;
import dev.seedloop.learner.projection.application.StateJson;

/**
 * A whole study simulated — gateway, proposer, implementer and evaluator as seeded stand-ins, the learner
 * as the real domain code (evolve, step by step, and decide, the first batch included: ADR 0021) — with topics interleaving and one delivery in
 * ten repeated. Manual promotion adds approvals and rejections; every run pauses and resumes once, and one
 * experiment in eight fails. What the learner stored is the log a replay must reproduce the live state from.
 */
final class StudySimulation {

    private static final String STUDY = "study-replay";
    private static final UUID CORRELATION = UUID.fromString("00000000-0000-7000-8000-0000000000aa");
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    /** What one run of the simulation produced. */
    record Run(String liveJson, List<EventEnvelope> delivered, List<EventEnvelope> stored, List<Instant> deliveredAt) {
    }

    static final class Simulation {
        final SplittableRandom rng;
        final ArrayDeque<EventEnvelope> queue = new ArrayDeque<>();
        final List<EventEnvelope> delivered = new ArrayList<>();
        final List<EventEnvelope> stored = new ArrayList<>();
        /** When each delivery reached the learner: the {@code now} its decision was made at. */
        final List<Instant> deliveredAt = new ArrayList<>();
        final Set<UUID> actorsSeen = new HashSet<>();
        StudyState study = StudyState.EMPTY;
        StrategyState strategy = StrategyState.initial(StrategySettings.DEFAULTS);
        long clockSeconds;
        long ids;
        final Set<Integer> proposed = new HashSet<>();
        double best = Double.POSITIVE_INFINITY;
        UUID champion;
        int evaluationsSeen;
        int pauseAt = -1;
        boolean finished;
        Map<String, Double> weights = new LinkedHashMap<>(Map.of("mutate", 1.0, "crossover", 1.0, "random", 1.0));
        final PromotionPolicy promotion;
        /** Under manual promotion, the evaluation and value of each candidate waiting for the approver. */
        final Map<UUID, PromotionRequested> requested = new HashMap<>();
        /** Set to simulate a fork: its first event then carries this origin. */
        dev.seedloop.events.StudyOrigin origin;
        /** One proposal in this many is rejected by the proposer instead of created; 0: none. */
        int rejectOneIn;
        /** Set to have the gateway write a team-stream event while the study runs. */
        EventEnvelope teamEvent;

        Simulation(long seed) {
            this(seed, PromotionPolicy.AUTO);
        }

        Simulation(long seed, PromotionPolicy promotion) {
            rng = new SplittableRandom(seed);
            this.promotion = promotion;
        }

        /** This study as a fork of a source that had evaluated {@code inherited} proposals of x. */
        Simulation forkOf(int inherited) {
            List<dev.seedloop.events.StudyOrigin.Proposal> proposals = new ArrayList<>();
            for (int i = 0; i < inherited; i++) {
                UUID id = EventIds.derived(CORRELATION, "source-proposal-" + i);
                proposals.add(new dev.seedloop.events.StudyOrigin.Proposal(id, i, "random",
                        i == 0 ? List.of() : List.of(proposals.get(i - 1).proposalId()), Map.of("x", rng.nextDouble()),
                        i == inherited - 1 ? Verdict.INVALID : Verdict.NOT_BETTER, i == inherited - 1 ? null : 0.5 + i));
            }
            origin = new dev.seedloop.events.StudyOrigin("source-study", 3L * inherited, null, null, proposals, 2);
            return this;
        }

        /** The proposer rejects one proposal in {@code n} (a constraint it violates) instead of creating it. */
        Simulation rejectingOneIn(int n) {
            rejectOneIn = n;
            return this;
        }

        /** A team-stream event the gateway writes while the study runs, delivered among the study's. */
        Simulation withTeamEvent(EventEnvelope event) {
            teamEvent = event;
            return this;
        }

        EventEnvelope emit(String producer, EventPayload payload, UUID causation) {
            EventEnvelope e = new EventEnvelope(EventIds.derived(CORRELATION, "sim-" + ids++), STUDY, "team",
                    T0.plusSeconds(clockSeconds), causation, CORRELATION, producer, payload);
            queue.add(e);
            return e;
        }

        Run run(int maxExperiments, int parallelism, long studySeed) {
            emit(Services.GATEWAY, new StudyCreated("sim", new dev.seedloop.events.Objective("loss", Direction.MINIMIZE, null),
                    new dev.seedloop.events.SearchSpace(List.of(dev.seedloop.events.Parameter.floating("x", 0.0, 1.0, false))),
                    new dev.seedloop.events.Budget(maxExperiments, 86_400, parallelism), "evolutionary", studySeed,
                    "sha256:" + "1".repeat(64)).withGovernance(promotion, "sim-user").forkedFrom(origin), null);
            if (teamEvent != null) {
                queue.add(teamEvent);
            }
            while (!queue.isEmpty()) {
                // Topics interleave: the next delivery is one of the oldest three.
                int pick = rng.nextInt(Math.min(3, queue.size()));
                EventEnvelope e = takeAt(pick);
                clockSeconds += 1 + rng.nextInt(30);
                Instant now = T0.plusSeconds(clockSeconds);
                delivered.add(e);
                deliveredAt.add(now);

                // The learner, for real.
                LearnerState before = new LearnerState(study, strategy);
                LearnerState after = Deciders.DEFAULT.evolve(before, e);
                study = after.study();
                strategy = after.strategy();
                if (!before.study().hasSeen(e.eventId())) {
                    stored.add(e);
                }
                queue.addAll(Deciders.DEFAULT.decide(before, after, e, now));

                if (rng.nextInt(10) == 0) {
                    queue.add(e);
                }
                if (actorsSeen.add(e.eventId())) {
                    react(e);
                }
            }
            return new Run(StateJson.write(study, strategy), delivered, stored, deliveredAt);
        }

        EventEnvelope takeAt(int index) {
            List<EventEnvelope> head = new ArrayList<>();
            for (int i = 0; i < index; i++) {
                head.add(queue.pollFirst());
            }
            EventEnvelope picked = queue.pollFirst();
            for (int i = head.size() - 1; i >= 0; i--) {
                queue.addFirst(head.get(i));
            }
            return picked;
        }

        void react(EventEnvelope e) {
            switch (e.payload()) {
                case StrategyUpdated u -> {
                    if (!u.operatorWeights().isEmpty()) {
                        weights = u.operatorWeights();
                    }
                    propose(u.nextOrdinal(), u.proposalsRequested(), e.eventId());
                }
                case StudyCompleted c -> finished = true;
                case ProposalCreated p -> emit(Services.IMPLEMENTER, new ExperimentStarted(
                        EventIds.derived(p.proposalId(), "experiment"), p.proposalId(), "sim", "sha256:" + "2".repeat(64), 2),
                        e.eventId());
                case ExperimentStarted s -> {
                    if (rng.nextInt(8) == 0) {
                        emit(Services.IMPLEMENTER, new ExperimentFailed(s.experimentId(), s.proposalId(),
                                FailureReason.TIMEOUT, "slow", ResourceUsage.NONE, ""), e.eventId());
                    } else {
                        double a = rng.nextDouble();
                        double b = a + rng.nextDouble() * 0.01;
                        emit(Services.IMPLEMENTER, new ExperimentCompleted(s.experimentId(), s.proposalId(), List.of(
                                new RepeatResult(1, Map.of("loss", a), 5, 0), new RepeatResult(2, Map.of("loss", b), 5, 0)),
                                ResourceUsage.NONE, ""), e.eventId());
                    }
                }
                case ExperimentCompleted c -> evaluate(e, c.experimentId(), c.proposalId(),
                        (c.repeats().get(0).metrics().get("loss") + c.repeats().get(1).metrics().get("loss")) / 2);
                case ExperimentFailed f -> evaluate(e, f.experimentId(), f.proposalId(), null);
                case EvaluationCompleted ev -> {
                    evaluationsSeen++;
                    if (evaluationsSeen == 8) {
                        emit(Services.GATEWAY, new StudyPaused("op", "maintenance"), null);
                        pauseAt = delivered.size();
                    }
                }
                // The approver says yes two times in three; the evaluator crowns what was approved if it still wins.
                case PromotionRequested r -> {
                    requested.put(r.proposalId(), r);
                    emit(Services.GATEWAY, rng.nextInt(3) == 0 ? new PromotionRejected(r.proposalId(), "approver", "noise")
                            : new PromotionApproved(r.proposalId(), "approver", "ok"), null);
                }
                case PromotionApproved a -> {
                    PromotionRequested r = requested.remove(a.proposalId());
                    if (r.value() < best) {
                        emit(Services.EVALUATOR, new ChampionChanged(r.proposalId(), champion, r.evaluationId(),
                                r.value()), e.eventId());
                        best = r.value();
                        champion = r.proposalId();
                    }
                }
                default -> {
                }
            }
            if (pauseAt >= 0 && delivered.size() - pauseAt == 6) {
                emit(Services.GATEWAY, new StudyResumed("op"), null);
                pauseAt = -1;
            }
        }

        void propose(int from, int count, UUID cause) {
            if (finished) {
                return;
            }
            for (int ordinal = from; ordinal < from + count; ordinal++) {
                // Like the proposer, each ordinal once: a request decided before the last one was folded may repeat it.
                if (!proposed.add(ordinal)) {
                    continue;
                }
                String operator = draw();
                UUID id = EventIds.derived(CORRELATION, "proposal-" + ordinal);
                if (rejectOneIn > 0 && rng.nextInt(rejectOneIn) == 0) {
                    ordinal++;
                    emit(Services.PROPOSER, new ProposalRejected(id, "violates the search space",
                            List.of("x out of range")), cause);
                    continue;
                }
                List<UUID> parents = champion == null || operator.equals("random") ? List.of() : List.of(champion);
                emit(Services.PROPOSER, new ProposalCreated(id, ordinal, "evolutionary", operator,
                        Map.of("x", rng.nextDouble()), parents), cause);
            }
        }

        String draw() {
            double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
            double target = rng.nextDouble() * total;
            String last = null;
            for (Map.Entry<String, Double> w : weights.entrySet()) {
                last = w.getKey();
                target -= w.getValue();
                if (target < 0) {
                    break;
                }
            }
            return last;
        }

        void evaluate(EventEnvelope cause, UUID experimentId, UUID proposalId, Double mean) {
            UUID evaluationId = EventIds.derived(experimentId, "evaluation");
            if (mean == null) {
                emit(Services.EVALUATOR, new EvaluationCompleted(evaluationId, experimentId, proposalId, Verdict.INVALID,
                        "failed", null, null, false, "sha256:" + "3".repeat(64)), cause.eventId());
                return;
            }
            boolean wins = mean < best;
            MetricSummary summary = new MetricSummary("loss", 2, mean, 0.001, mean - 0.01, mean + 0.01);
            EventEnvelope evaluation = emit(Services.EVALUATOR, new EvaluationCompleted(evaluationId, experimentId,
                    proposalId, wins ? Verdict.NEW_CHAMPION : Verdict.NOT_BETTER, "sim", summary, null, true,
                    "sha256:" + "3".repeat(64)), cause.eventId());
            if (wins && promotion == PromotionPolicy.MANUAL) {
                emit(Services.EVALUATOR, new PromotionRequested(proposalId, evaluationId, mean, champion),
                        evaluation.eventId());
            } else if (wins) {
                emit(Services.EVALUATOR, new ChampionChanged(proposalId, champion, evaluationId, mean),
                        evaluation.eventId());
                best = mean;
                champion = proposalId;
            }
        }
    }

    private StudySimulation() {
    }
}
