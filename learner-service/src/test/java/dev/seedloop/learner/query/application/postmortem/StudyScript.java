package dev.seedloop.learner.query.application.postmortem;

import java.time.Instant;
import java.util.ArrayList;
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
import dev.seedloop.events.ProposalRejected;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.SearchSpace;
import dev.seedloop.events.Services;
import dev.seedloop.events.StrategyUpdated;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyHalted;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.StudyResumed;
import dev.seedloop.events.ValidationResult;
import dev.seedloop.events.Verdict;

/**
 * A study's stored events written by hand, as the services would: each event at an explicit second after
 * {@link #T0}, with ids derived from the proposal number, numbered in the order they are written.
 */
final class StudyScript {

    static final String STUDY = "study-pm";
    static final String TEAM = "team-a";
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String SHA = "sha256:" + "0".repeat(64);
    private static final UUID CORRELATION = UUID.fromString("00000000-0000-7000-8000-0000000000aa");

    /** One stored event and the study sequence it got. */
    record Stored(long sequence, EventEnvelope event) {
    }

    final List<Stored> stored = new ArrayList<>();
    private int made;

    static UUID proposal(int n) {
        return EventIds.derived(CORRELATION, "proposal-" + n);
    }

    static UUID experiment(int n) {
        return EventIds.derived(proposal(n), "experiment");
    }

    static UUID evaluation(int n) {
        return EventIds.derived(experiment(n), "evaluation");
    }

    static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    EventEnvelope add(double seconds, UUID causation, String producer, EventPayload payload) {
        return store(make(seconds, causation, producer, payload));
    }

    /** An event not stored yet: for writing events in another order than the one they are stored in. */
    EventEnvelope make(double seconds, UUID causation, String producer, EventPayload payload) {
        return new EventEnvelope(EventIds.derived(CORRELATION, "event-" + made++), STUDY, TEAM, at(seconds), causation,
                CORRELATION, producer, payload);
    }

    EventEnvelope store(EventEnvelope event) {
        stored.add(new Stored(stored.size() + 1, event));
        return event;
    }

    /** Feeds every event, recorded 100 ms after it occurred. */
    PostmortemBuilder builder() {
        PostmortemBuilder builder = new PostmortemBuilder(STUDY);
        stored.forEach(s -> builder.accept(s.event(), s.sequence(), s.event().occurredAt().plusMillis(100)));
        return builder;
    }

    EventEnvelope created(double s, PromotionPolicy promotion, String by) {
        return add(s, null, Services.GATEWAY, new StudyCreated("lr-sweep", new Objective("val_loss",
                Direction.MINIMIZE, null), new SearchSpace(List.of(Parameter.floating("lr", 0.0, 1.0, false))),
                new Budget(20, 7200, 2), "evolutionary", 7, SHA).withGovernance(promotion, by));
    }

    EventEnvelope proposed(double s, int n, String operator) {
        return add(s, null, Services.PROPOSER, new ProposalCreated(proposal(n), n, "evolutionary", operator,
                Map.of("lr", 0.01 * (n + 1)), List.of()));
    }

    EventEnvelope rejectedProposal(double s, int n) {
        return add(s, null, Services.PROPOSER, new ProposalRejected(proposal(n), "out of bounds", List.of("lr > 1")));
    }

    EventEnvelope started(double s, int n) {
        return add(s, null, Services.IMPLEMENTER, new ExperimentStarted(experiment(n), proposal(n), "local", SHA, 3));
    }

    EventEnvelope completed(double s, int n, double value, ResourceUsage usage, ValidationResult validation,
                            Double heldOut) {
        return add(s, null, Services.IMPLEMENTER, new ExperimentCompleted(experiment(n), proposal(n),
                List.of(new RepeatResult(1, Map.of("val_loss", value), 1000, 0)), usage, "done\n", validation,
                heldOut));
    }

    EventEnvelope failed(double s, int n, FailureReason reason, String detail, ResourceUsage usage, String log) {
        return add(s, null, Services.IMPLEMENTER, new ExperimentFailed(experiment(n), proposal(n), reason, detail,
                usage, log));
    }

    EventEnvelope evaluated(double s, int n, Verdict verdict, String reason, Double mean, Double p, boolean valid,
                            Double heldOut) {
        MetricSummary summary = mean == null ? null
                : new MetricSummary("val_loss", 3, mean, 0.002, mean - 0.004, mean + 0.004);
        return add(s, null, Services.EVALUATOR, new EvaluationCompleted(evaluation(n), experiment(n), proposal(n),
                verdict, reason, summary, p, valid, SHA, heldOut));
    }

    EventEnvelope requested(double s, int n, double value, UUID champion) {
        return add(s, null, Services.EVALUATOR, new PromotionRequested(proposal(n), evaluation(n), value, champion));
    }

    EventEnvelope approved(double s, int n, String by, String reason) {
        return store(approval(s, n, by, reason));
    }

    /** An approval not stored yet (its ChampionChanged travels on another topic and may be stored first). */
    EventEnvelope approval(double s, int n, String by, String reason) {
        return make(s, null, Services.GATEWAY, new PromotionApproved(proposal(n), by, reason));
    }

    EventEnvelope rejected(double s, int n, String by, String reason) {
        return add(s, null, Services.GATEWAY, new PromotionRejected(proposal(n), by, reason));
    }

    EventEnvelope champion(double s, UUID causation, int n, Integer previous, double value) {
        return add(s, causation, Services.EVALUATOR, new ChampionChanged(proposal(n),
                previous == null ? null : proposal(previous), evaluation(n), value));
    }

    /** The learner's answer to {@code cause}. */
    EventEnvelope strategy(double s, EventEnvelope cause, long revision) {
        return add(s, cause.eventId(), Services.LEARNER, new StrategyUpdated(revision, 1, Map.of("mutate", 1.0),
                "test"));
    }

    EventEnvelope paused(double s, String by, String reason) {
        return add(s, null, Services.GATEWAY, new StudyPaused(by, reason));
    }

    EventEnvelope resumed(double s, String by) {
        return add(s, null, Services.GATEWAY, new StudyResumed(by));
    }

    EventEnvelope halted(double s, String by, String reason) {
        return add(s, null, Services.GATEWAY, new StudyHalted(by, reason));
    }
}
