package dev.seedloop.events;

import java.util.List;
import java.util.Optional;

/**
 * The production event registry: one entry per {@link EventPayload} record at its current version.
 * {@code docs/events.md} mirrors this table and a test keeps the two in sync.
 */
public final class EventTypes {

    public static final String STUDY_CREATED = "seedloop.study.created";
    public static final String STUDY_PAUSED = "seedloop.study.paused";
    public static final String STUDY_RESUMED = "seedloop.study.resumed";
    public static final String STUDY_HALTED = "seedloop.study.halted";
    public static final String STUDY_COMPLETED = "seedloop.study.completed";
    public static final String PROPOSAL_CREATED = "seedloop.proposal.created";
    public static final String PROPOSAL_REJECTED = "seedloop.proposal.rejected";
    public static final String EXPERIMENT_STARTED = "seedloop.experiment.started";
    public static final String EXPERIMENT_COMPLETED = "seedloop.experiment.completed";
    public static final String EXPERIMENT_FAILED = "seedloop.experiment.failed";
    public static final String EVALUATION_COMPLETED = "seedloop.evaluation.completed";
    public static final String CHAMPION_CHANGED = "seedloop.champion.changed";
    public static final String STRATEGY_UPDATED = "seedloop.strategy.updated";
    public static final String PROMOTION_REQUESTED = "seedloop.promotion.requested";
    public static final String PROMOTION_APPROVED = "seedloop.promotion.approved";
    public static final String PROMOTION_REJECTED = "seedloop.promotion.rejected";
    public static final String TEAM_QUOTA_SET = "seedloop.team.quota-set";
    public static final String MODEL_CALL_COMPLETED = "seedloop.model.call-completed";

    private static final String GW = Services.GATEWAY;
    private static final String PR = Services.PROPOSER;
    private static final String IM = Services.IMPLEMENTER;
    private static final String EV = Services.EVALUATOR;
    private static final String LE = Services.LEARNER;

    private static final EventTypeRegistry REGISTRY = new EventTypeRegistry(List.of(
            new EventType(STUDY_CREATED, 5, StudyCreated.class, Topics.STUDIES, GW, List.of(PR, IM, EV, LE)),
            new EventType(STUDY_PAUSED, 1, StudyPaused.class, Topics.STUDIES, GW, List.of(PR, IM, LE)),
            new EventType(STUDY_RESUMED, 1, StudyResumed.class, Topics.STUDIES, GW, List.of(PR, IM, LE)),
            new EventType(STUDY_HALTED, 1, StudyHalted.class, Topics.STUDIES, GW, List.of(PR, IM, LE)),
            new EventType(STUDY_COMPLETED, 1, StudyCompleted.class, Topics.STUDIES, LE, List.of(PR, IM, GW)),
            new EventType(PROPOSAL_CREATED, 2, ProposalCreated.class, Topics.PROPOSALS, PR, List.of(IM, LE)),
            new EventType(PROPOSAL_REJECTED, 1, ProposalRejected.class, Topics.PROPOSALS, PR, List.of(LE)),
            new EventType(MODEL_CALL_COMPLETED, 1, ModelCallCompleted.class, Topics.PROPOSALS, PR, List.of(LE)),
            new EventType(EXPERIMENT_STARTED, 2, ExperimentStarted.class, Topics.EXPERIMENTS, IM, List.of(LE)),
            new EventType(EXPERIMENT_COMPLETED, 2, ExperimentCompleted.class, Topics.EXPERIMENTS, IM, List.of(EV, LE)),
            new EventType(EXPERIMENT_FAILED, 3, ExperimentFailed.class, Topics.EXPERIMENTS, IM, List.of(EV, LE)),
            new EventType(EVALUATION_COMPLETED, 2, EvaluationCompleted.class, Topics.EVALUATIONS, EV, List.of(LE)),
            new EventType(CHAMPION_CHANGED, 1, ChampionChanged.class, Topics.EVALUATIONS, EV, List.of(LE, GW)),
            new EventType(STRATEGY_UPDATED, 2, StrategyUpdated.class, Topics.STRATEGY, LE, List.of(PR)),
            new EventType(PROMOTION_REQUESTED, 1, PromotionRequested.class, Topics.EVALUATIONS, EV, List.of(LE, GW)),
            new EventType(PROMOTION_APPROVED, 1, PromotionApproved.class, Topics.STUDIES, GW, List.of(EV, LE)),
            new EventType(PROMOTION_REJECTED, 1, PromotionRejected.class, Topics.STUDIES, GW, List.of(EV, LE)),
            new EventType(TEAM_QUOTA_SET, 1, TeamQuotaSet.class, Topics.TEAMS, GW, List.of(LE))));

    private EventTypes() {
    }

    /** The production registry as an instance, e.g. for {@link EventCodec#EventCodec(List, EventTypeRegistry)}. */
    public static EventTypeRegistry registry() {
        return REGISTRY;
    }

    public static List<EventType> all() {
        return REGISTRY.all();
    }

    public static EventType forPayload(Class<? extends EventPayload> payloadClass) {
        return REGISTRY.forPayload(payloadClass);
    }

    public static Optional<EventType> forName(String name) {
        return REGISTRY.forName(name);
    }

    public static int currentVersion(String name) {
        return REGISTRY.currentVersion(name);
    }
}
