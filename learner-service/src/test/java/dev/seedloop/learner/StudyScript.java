package dev.seedloop.learner;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.seedloop.events.ChampionChanged;
import dev.seedloop.events.EvaluationCompleted;
import dev.seedloop.events.EventEnvelope;
import dev.seedloop.events.EventIds;
import dev.seedloop.events.EventPayload;
import dev.seedloop.events.ExperimentCompleted;
import dev.seedloop.events.ExperimentStarted;
import dev.seedloop.events.MetricSummary;
import dev.seedloop.events.PromotionApproved;
import dev.seedloop.events.PromotionPolicy;
import dev.seedloop.events.PromotionRequested;
import dev.seedloop.events.ProposalCreated;
import dev.seedloop.events.RepeatResult;
import dev.seedloop.events.ResourceUsage;
import dev.seedloop.events.SampleEvents;
import dev.seedloop.events.Services;
import dev.seedloop.events.StudyCreated;
import dev.seedloop.events.StudyPaused;
import dev.seedloop.events.TeamQuotaSet;
import dev.seedloop.events.TeamStreams;
import dev.seedloop.events.Topics;
import dev.seedloop.events.Verdict;

/**
 * One study of one team as the other services would write it, with ids derived from the study id and
 * times from {@code t0} (near the wall clock, so the learner's wall-time budget does not end it). Each
 * event is paired with the topic it travels on.
 */
public final class StudyScript {

    public record Sent(String topic, EventEnvelope event) {
    }

    public final String team;
    public final String studyId = SampleEvents.newStudyId();
    public final Instant t0;
    private long clock;

    public StudyScript(String team, Instant t0) {
        this.team = team;
        this.t0 = t0.truncatedTo(ChronoUnit.MILLIS);
    }

    public UUID id(String purpose) {
        return EventIds.derived(UUID.nameUUIDFromBytes(studyId.getBytes(StandardCharsets.UTF_8)), purpose);
    }

    public UUID proposal(int n) {
        return id("proposal:" + n);
    }

    public UUID experiment(int n) {
        return id("experiment:" + n);
    }

    public UUID evaluation(int n) {
        return id("evaluation:" + n);
    }

    public Sent event(String topic, String purpose, UUID causation, String producer, EventPayload payload) {
        return new Sent(topic, new EventEnvelope(id("event:" + purpose), studyId, team, t0.plusMillis(clock++ * 10),
                causation, id("correlation"), producer, payload));
    }

    /** The sample study (val_loss, minimize, target 0.05, budget 40 / 7200 s / 2) under the given promotion. */
    public Sent created(PromotionPolicy promotion, String creator) {
        StudyCreated sample = (StudyCreated) SampleEvents.studyCreated(SampleEvents.newStudyId()).payload();
        return event(Topics.STUDIES, "created", null, Services.GATEWAY, sample.withGovernance(promotion, creator));
    }

    public Sent proposed(int n, String operator, List<UUID> parents) {
        return event(Topics.PROPOSALS, "proposed:" + n, null, Services.PROPOSER,
                new ProposalCreated(proposal(n), n, "evolutionary", operator, Map.of("learning_rate", 0.001 * (n + 1)),
                        parents));
    }

    public Sent started(int n) {
        return event(Topics.EXPERIMENTS, "started:" + n, null, Services.IMPLEMENTER,
                new ExperimentStarted(experiment(n), proposal(n), "local-process", "sha256:" + "2".repeat(64), 1));
    }

    public Sent completed(int n, double value, String logTail) {
        return event(Topics.EXPERIMENTS, "completed:" + n, null, Services.IMPLEMENTER,
                new ExperimentCompleted(experiment(n), proposal(n),
                        List.of(new RepeatResult(1, Map.of("val_loss", value), 100, 0)), ResourceUsage.NONE, logTail));
    }

    /** A NEW_CHAMPION evaluation: mean {@code value}, CI ±0.01, 3 repeats, p = 0.01, held-out value + 0.005. */
    public Sent evaluatedChampion(int n, double value) {
        return event(Topics.EVALUATIONS, "evaluated:" + n, null, Services.EVALUATOR,
                new EvaluationCompleted(evaluation(n), experiment(n), proposal(n), Verdict.NEW_CHAMPION,
                        "beats the champion (Welch t-test)",
                        new MetricSummary("val_loss", 3, value, 0.002, value - 0.01, value + 0.01), 0.01, true,
                        "sha256:" + "3".repeat(64), value + 0.005));
    }

    public Sent promotionRequested(int n, double value, UUID champion) {
        return event(Topics.EVALUATIONS, "requested:" + n, null, Services.EVALUATOR,
                new PromotionRequested(proposal(n), evaluation(n), value, champion));
    }

    public Sent approved(int n, String by) {
        return event(Topics.STUDIES, "approved:" + n, null, Services.GATEWAY,
                new PromotionApproved(proposal(n), by, "ok"));
    }

    public Sent championChanged(Sent approval, int n, UUID previous, double value) {
        return event(Topics.EVALUATIONS, "champion:" + n, approval.event().eventId(), Services.EVALUATOR,
                new ChampionChanged(proposal(n), previous, evaluation(n), value));
    }

    public Sent paused(String by, String reason) {
        return event(Topics.STUDIES, "paused", null, Services.GATEWAY, new StudyPaused(by, reason));
    }

    /**
     * After {@link #created}: three proposals; 0 completed, judged champion, approved and crowned; 1 completed,
     * judged champion and waiting for approval; 2 running; then the study paused. 15 events.
     */
    public List<Sent> manualPromotionRun() {
        List<Sent> run = new ArrayList<>(List.of(proposed(0, "random", List.of()),
                proposed(1, "mutate", List.of(proposal(0))), proposed(2, "mutate", List.of(proposal(0))),
                started(0), completed(0, 0.08, "epoch 20/20 val_loss=0.08\n"), evaluatedChampion(0, 0.08),
                promotionRequested(0, 0.08, null)));
        Sent approval = approved(0, "bob-approver");
        run.add(approval);
        run.add(championChanged(approval, 0, null, 0.08));
        run.addAll(List.of(started(1), completed(1, 0.07, "epoch 20/20 val_loss=0.07\n"), evaluatedChampion(1, 0.07),
                promotionRequested(1, 0.07, proposal(0)), started(2), paused("carol", "GPU maintenance")));
        return run;
    }

    /** A team's quota setting, on the team's own stream. */
    public static EventEnvelope quota(String team, int studies, int experimentsPerDay, String by, Instant at) {
        return new EventEnvelope(UUID.randomUUID(), TeamStreams.streamId(team), team, at, null, UUID.randomUUID(),
                Services.GATEWAY, new TeamQuotaSet(studies, experimentsPerDay, by));
    }
}
