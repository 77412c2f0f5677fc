package dev.seedloop.learner.domain;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.Budget;
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
import dev.seedloop.events.Objective;
import dev.seedloop.events.Parameter;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.PromotionRejected;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.Verdict;

/** Builds a study's events with deterministic ids and times, for given/when/then tests. */
final class Events {

    static final String STUDY = "study-1";
    static final String TEAM = "team-a";
    static final UUID CORRELATION = UUID.fromString("00000000-0000-7000-8000-00000000c0de");
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String SHA = "sha256:" + "0".repeat(64);

    private long counter;

    private UUID nextId() {
        return EventIds.derived(CORRELATION, "event-" + counter++);
    }

    EventEnvelope envelope(String producer, EventPayload payload) {
        return caused(null, producer, payload);
    }

    EventEnvelope caused(UUID causationId, String producer, EventPayload payload) {
        return new EventEnvelope(nextId(), STUDY, TEAM, T0.plusSeconds(counter), causationId, CORRELATION, producer,
                payload);
    }

    static UUID evaluation(UUID proposal) {
        return EventIds.derived(experiment(proposal), "evaluation");
    }

    static UUID proposal(int n) {
        return EventIds.derived(CORRELATION, "proposal-" + n);
    }

    /** The id the proposer gives ordinal {@code n} of a request in this chain ({@code Proposer.proposalId}). */
    static UUID proposalOfOrdinal(int n) {
        return EventIds.derived(CORRELATION, "proposal:" + n);
    }

    static UUID experiment(UUID proposal) {
        return EventIds.derived(proposal, "experiment");
    }

    EventEnvelope created(Direction direction, Double target, int maxExperiments, long maxWallSeconds, int parallelism,
                          long seed) {
        return envelope(Services.GATEWAY, spec(direction, target, maxExperiments, maxWallSeconds, parallelism, seed));
    }

    /** A study whose champions an approver promotes, created by {@code creator}. */
    EventEnvelope createdManual(String creator) {
        return envelope(Services.GATEWAY, spec(Direction.MINIMIZE, null, 10, 600, 2, 1)
                .withGovernance(PromotionPolicy.MANUAL, creator));
    }

    private static StudyCreated spec(Direction direction, Double target, int maxExperiments, long maxWallSeconds,
                                     int parallelism, long seed) {
        return new StudyCreated("s", new Objective("loss", direction, target),
                new SearchSpace(List.of(Parameter.floating("x", 0.0, 1.0, false))),
                new Budget(maxExperiments, maxWallSeconds, parallelism), "evolutionary", seed, SHA);
    }

    EventEnvelope proposed(UUID proposal, int ordinal, String operator, List<UUID> parents) {
        return envelope(Services.PROPOSER, new ProposalCreated(proposal, ordinal, "evolutionary", operator,
                Map.of("x", 0.5), parents));
    }

    EventEnvelope started(UUID proposal) {
        return envelope(Services.IMPLEMENTER, new ExperimentStarted(experiment(proposal), proposal, "local", SHA, 2));
    }

    EventEnvelope completed(UUID proposal, double value) {
        return envelope(Services.IMPLEMENTER, new ExperimentCompleted(experiment(proposal), proposal,
                List.of(new RepeatResult(1, Map.of("loss", value), 10, 0)), ResourceUsage.NONE, ""));
    }

    EventEnvelope failed(UUID proposal) {
        return envelope(Services.IMPLEMENTER, new ExperimentFailed(experiment(proposal), proposal, FailureReason.CRASHED,
                "boom", ResourceUsage.NONE, ""));
    }

    EventEnvelope evaluated(UUID proposal, Verdict verdict, Double value) {
        MetricSummary summary = value == null ? null : new MetricSummary("loss", 1, value, 0, value, value);
        return envelope(Services.EVALUATOR, new EvaluationCompleted(evaluation(proposal), experiment(proposal),
                proposal, verdict, "test", summary, null, verdict != Verdict.INVALID, SHA));
    }

    /** A NEW_CHAMPION evaluation over 3 repeats with a significance test and a held-out value. */
    EventEnvelope evaluatedChampion(UUID proposal, double mean) {
        return envelope(Services.EVALUATOR, new EvaluationCompleted(evaluation(proposal), experiment(proposal),
                proposal, Verdict.NEW_CHAMPION, "beats the champion", new MetricSummary("loss", 3, mean, 0.01, mean - 0.02,
                mean + 0.02), 0.004, true, SHA, mean + 0.001));
    }

    EventEnvelope promotionRequested(UUID proposal, double value, UUID champion) {
        return envelope(Services.EVALUATOR, new PromotionRequested(proposal, evaluation(proposal), value, champion));
    }

    EventEnvelope approved(UUID proposal, String by) {
        return envelope(Services.GATEWAY, new PromotionApproved(proposal, by, "reviewed"));
    }

    EventEnvelope rejected(UUID proposal, String by) {
        return envelope(Services.GATEWAY, new PromotionRejected(proposal, by, "within noise"));
    }

    /** The evaluator's ChampionChanged, caused by {@code cause} (an approval under manual promotion). */
    EventEnvelope championChanged(EventEnvelope cause, UUID proposal, UUID previous, double value) {
        return caused(cause.eventId(), Services.EVALUATOR, new ChampionChanged(proposal, previous, evaluation(proposal),
                value));
    }

    EventEnvelope paused() {
        return envelope(Services.GATEWAY, new StudyPaused("alice", "maintenance"));
    }

    EventEnvelope resumed() {
        return envelope(Services.GATEWAY, new StudyResumed("alice"));
    }

    EventEnvelope halted() {
        return envelope(Services.GATEWAY, new StudyHalted("bob", "wrong metric"));
    }
}
