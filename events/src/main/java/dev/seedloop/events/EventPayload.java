package dev.seedloop.events;

/**
 * The body of an event. Sealed so consumers can switch exhaustively over every event kind;
 * each permitted record is registered in {@link EventTypes} with a logical type name and version.
 *
 * <p>Invariant: payload records are immutable and validate their own fields; components that may
 * be null carry {@link Nullable}.
 */
public sealed interface EventPayload permits
        StudyCreated, StudyPaused, StudyResumed, StudyHalted, StudyCompleted,
        ProposalCreated, ProposalRejected, ModelCallCompleted,
        ExperimentStarted, ExperimentCompleted, ExperimentFailed,
        EvaluationCompleted, ChampionChanged, PromotionRequested, PromotionApproved, PromotionRejected,
        TeamQuotaSet,
        StrategyUpdated {
}
